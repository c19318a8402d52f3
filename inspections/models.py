# Verification obligations, draws and field records arrive with the issue
# "Post-approval verification: obligations, reproducible 双随机 draws, inspector field records".
