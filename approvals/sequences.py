from django.db import IntegrityError, transaction


def take_numbers(counter_model, count: int = 1, **key) -> int:
    """Take `count` consecutive numbers from a gapless counter row (a model with a `last` field, unique on
    `key`); -> the first. The row is locked until the caller's transaction ends, so a rolled-back act gives
    its numbers back and two concurrent acts never share one."""
    try:
        with transaction.atomic():
            counter_model.objects.get_or_create(**key)
    except IntegrityError:
        pass  # created concurrently; lock it below
    counter = counter_model.objects.select_for_update().get(**key)
    counter.last += count
    counter.save(update_fields=["last"])
    return counter.last - count + 1
