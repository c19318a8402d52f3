"""Fast inserts for large batches: COPY on PostgreSQL, bulk_create elsewhere (the data generator, draws)."""

import itertools
import json

from django.db import connection, models


class Writer:
    """Rows into a table, in the model's column order: COPY on PostgreSQL, bulk_create elsewhere."""

    def __init__(self, model):
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields]
        self.columns = [f.column for f in self.fields]

    def values(self, row: dict, now, copy: bool = False) -> tuple:
        out = []
        for field in self.fields:
            name = field.attname
            if name in row:
                value = row[name]
            elif getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False):
                value = now
            elif field.has_default() or (field.empty_strings_allowed and not field.null):
                value = field.get_default()
            elif field.null:
                value = None
            else:
                raise ValueError(f"{self.model.__name__}.{name} needs a value")
            if copy and isinstance(field, models.JSONField) and value is not None:
                value = json.dumps(value)
            out.append(value)
        return tuple(out)

    def write(self, rows, now) -> int:
        rows = iter(rows)
        first = next(rows, None)
        if first is None:
            return 0
        if "id" not in first:  # the database numbers them
            self.fields = [f for f in self.fields if not f.primary_key]
            self.columns = [f.column for f in self.fields]
        rows = itertools.chain([first], rows)
        count = 0
        if connection.vendor == "postgresql":
            table = connection.ops.quote_name(self.model._meta.db_table)
            cols = ", ".join(connection.ops.quote_name(c) for c in self.columns)
            with connection.cursor() as cursor:
                with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(self.values(row, now, copy=True))
                        count += 1
            return count
        batch = []
        for row in rows:
            batch.append(self.model(**dict(zip([f.attname for f in self.fields], self.values(row, now)))))
            count += 1
            if len(batch) >= 2000:
                self.model.objects.bulk_create(batch)
                batch = []
        if batch:
            self.model.objects.bulk_create(batch)
        return count


