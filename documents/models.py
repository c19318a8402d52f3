# Legal documents arrive with the issue "Legal documents: PDFs with embedded Chinese fonts, QR verification page, batch certificates".
