"""双随机: random targets and random inspectors, reproducible and auditable.

Algorithm "draw/1" (kept stable; a change means a new version string):
- population: the open, undrawn obligations matching the draw's matters, issue dates and department, as
  (obligation id, subject id, share) sorted by obligation id, stored packed as little-endian signed 64-bit
  integers; its SHA-256 is over the packed bytes. Stored compressed (zlib; since issue 8 with the bytes regrouped
  by position first, see store(); both forms are read).
- seed: SHA-256 of "<seed number entered by the supervisor>|<draw time, ISO 8601 UTC>|<draw number>" as an
  integer, for Python's random.Random (Mersenne Twister; its random() and randrange() are stable across versions).
- targets: weighted → each member in order is drawn when random()*100 < its share; share → k = ceil(N × p) members,
  count → k members, chosen by a partial Fisher-Yates shuffle of the indexes with randrange, then sorted.
- inspectors: for each target in order, randrange over the sorted pool until `per target` distinct inspectors not
  excluded for that target are found (exclusions: declared recusals and re-checks within N days, with reasons).
"""

import hashlib
import itertools
import logging
import math
import operator
import random
import sys
import zlib
from array import array
from collections.abc import Sequence
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.bulk import Writer
from approvals.models import StateChange
from approvals.roles import INSPECTOR
from approvals.sequences import take_numbers
from outbox import enqueue

from .. import ports
from ..models import (
    Assignment, Draw, DrawCounter, DrawMode, DrawState, Obligation, ObligationState, Recusal,
)
from ._common import Refused, require_supervisor

ALGORITHM = "draw/1"
logger = logging.getLogger(__name__)
CHUNK = 5000


class Population(Sequence):
    """The members (obligation, subject, share) over one flat array of int64 (obligation, subject, share, …), as
    read from the database: a million members without a million tuples. Indexing and iteration give tuples."""

    __slots__ = ("packed",)

    def __init__(self, packed: array):
        self.packed = packed

    def __len__(self) -> int:
        return len(self.packed) // 3

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError("population index out of range")
        p, j = self.packed, 3 * i
        return p[j], p[j + 1], p[j + 2]

    def __iter__(self):
        p = self.packed
        return zip(p[0::3], p[1::3], p[2::3])

    def members(self, indexes) -> list[tuple[int, int, int]]:
        p = self.packed
        return [(p[j], p[j + 1], p[j + 2]) for j in (3 * i for i in indexes)]


def pack(population) -> bytes:
    if isinstance(population, Population):
        packed = population.packed
    else:
        packed = array("q", itertools.chain.from_iterable(population))
    if sys.byteorder != "little":
        packed = array("q", packed)
        packed.byteswap()
    return packed.tobytes()


# Stored form: zlib of the packed bytes (the first draws), or SHUFFLED + zlib of the packed bytes with the bytes
# regrouped by their position in each 24-byte member (all first bytes, then all second bytes, …): the high bytes
# of ids, subjects and shares are nearly constant, so this compresses to less than half, faster. The hash is over
# the packed bytes either way.
SHUFFLED = b"draw-population/shuffled24\n"
_MEMBER = 24


def store(packed: bytes) -> bytes:
    shuffled = b"".join(packed[j::_MEMBER] for j in range(_MEMBER))
    return SHUFFLED + zlib.compress(shuffled, 1)


def stored_bytes(stored: bytes) -> bytes:
    """-> the packed bytes of a stored population (either form)."""
    stored = bytes(stored)
    if not stored.startswith(SHUFFLED):
        return zlib.decompress(stored)
    shuffled = zlib.decompress(stored[len(SHUFFLED):])
    n = len(shuffled) // _MEMBER
    packed = bytearray(len(shuffled))
    for j in range(_MEMBER):
        packed[j::_MEMBER] = shuffled[j * n:(j + 1) * n]
    return bytes(packed)


def unpack(stored: bytes) -> list[tuple[int, int, int]]:
    packed = array("q")
    packed.frombytes(stored_bytes(stored))
    if sys.byteorder != "little":
        packed.byteswap()
    return list(zip(packed[0::3], packed[1::3], packed[2::3]))


def population_hash(population: list) -> str:
    return hashlib.sha256(pack(population)).hexdigest()


def seed_for(seed_number: str, drawn_at: datetime, number: str) -> str:
    moment = drawn_at.astimezone(dt_timezone.utc).isoformat()
    return hashlib.sha256(f"{seed_number}|{moment}|{number}".encode()).hexdigest()


def _below(getrandbits, n: int) -> int:
    """random.Random.randrange(n) for an int n > 0, as CPython computes it (_randbelow_with_getrandbits), without
    its argument checks: the same numbers from the same generator."""
    k = n.bit_length()
    r = getrandbits(k)
    while r >= n:
        r = getrandbits(k)
    return r


def pick_targets(population, seed: str, mode: str, share_percent, count) -> list[int]:
    """-> the indexes into `population` of the drawn targets, ascending."""
    rng = random.Random(int(seed, 16))
    n = len(population)
    if mode == DrawMode.WEIGHTED:
        return [i for i, member in enumerate(population) if rng.random() * 100 < member[2]]
    k = min(n, math.ceil(n * float(share_percent) / 100) if mode == DrawMode.SHARE else int(count))
    getrandbits = rng.getrandbits
    swapped: dict[int, int] = {}  # partial Fisher-Yates over range(n), only the moved positions kept
    for i in range(k):
        j = i + _below(getrandbits, n - i)
        swapped[i], swapped[j] = swapped.get(j, j), swapped.get(i, i)
    return sorted(swapped[i] for i in range(k))


def pick_inspectors(targets: list[int], pool: list[int], exclusions: dict, seed: str, per_target: int
                    ) -> tuple[list[list], list[int]]:
    """-> ([[obligation, [inspector, …]], …], obligations without enough eligible inspectors)."""
    getrandbits = random.Random(int(seed, 16) ^ 0x5EED).getrandbits
    members = frozenset(pool)
    size = len(pool)
    result, short = [], []
    for obligation in targets:
        excluded = exclusions.get(str(obligation)) if exclusions else None
        if excluded:
            eligible = size - sum(1 for inspector in excluded if int(inspector) in members)
        else:
            excluded, eligible = (), size
        if eligible < per_target:
            short.append(obligation)
            continue
        chosen: list[int] = []
        while len(chosen) < per_target:
            inspector = pool[_below(getrandbits, size)]
            if inspector not in chosen and (not excluded or str(inspector) not in excluded):
                chosen.append(inspector)
        result.append([obligation, sorted(chosen)])
    return result, short


def _population_query(draw: Draw):
    """Open, undrawn obligations of the draw's matters (and department) issued in its period: from the
    obligation table alone (holder, matter and issue date are copied onto it), on its population index."""
    matters = draw.matters.all()
    if draw.department:
        matters = matters.filter(department=draw.department)
    return Obligation.objects.filter(state=ObligationState.DUE, matter__in=list(matters.values_list("pk", flat=True)),
                                     issued_on__gte=draw.issued_from, issued_on__lte=draw.issued_to)


def _population(draw: Draw) -> Population:
    """(obligation, subject, share) sorted by obligation, in one query. On PostgreSQL the database packs the
    members into one bytea (int8send: big-endian int64), so no Python object is made per member; elsewhere rows."""
    sql, params = _population_query(draw).order_by("pk").values_list("pk", "holder_id", "share").query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # the aggregate reads the sorted subquery in its order; checked below, as the order is the algorithm's.
            # Fetched in binary, on a cursor of the driver's own in the same transaction (Django's binds on the
            # client and gets text: 24 MB of bytea as 48 MB of hex at a million members, 0.2–0.4 s more)
            import psycopg

            with psycopg.Cursor(cursor.cursor.connection) as raw:
                raw.execute("SELECT string_agg(int8send(p.id) || int8send(p.holder) || int8send(p.share::bigint), "  # nosec B608
                            f"''::bytea), count(*) FROM ({sql}) AS p (id, holder, share)", params, binary=True)
                data, count = raw.fetchone()
            packed = array("q")
            packed.frombytes(bytes(data or b""))
            if sys.byteorder == "little":
                packed.byteswap()
            ids = packed[0::3]
            if len(ids) == count and all(map(operator.lt, ids, itertools.islice(ids, 1, None))):
                return Population(packed)
        # (a NULL holder would make the aggregate skip the member: such a population goes by rows, and pack()
        # refuses it as before)
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    packed = array("q")
    try:
        packed.extend(itertools.chain.from_iterable(rows))
    except TypeError:
        return [tuple(row) for row in rows]
    return Population(packed)


def _exclusions(draw: Draw, members: list, pool: list[int], at: datetime) -> dict:
    """{obligation: {inspector: reason}} for the drawn targets: declared recusals, and inspectors who checked
    the same subject within the draw's re-check period."""
    subjects = {member[1] for member in members}
    in_pool = set(pool)
    by_subject: dict[int, dict[str, str]] = {}
    for inspector, subject, reason in Recusal.objects.values_list("inspector", "subject", "reason").iterator():
        if subject in subjects and inspector in in_pool:
            by_subject.setdefault(subject, {})[str(inspector)] = _("recusal: %(reason)s") % {"reason": reason}
    since = at - timedelta(days=draw.recheck_days)
    recent = _("checked this subject within the last %(days)s days") % {"days": draw.recheck_days}
    for inspector, subject in Assignment.objects.filter(assigned_at__gte=since).values_list(
            "inspector", "obligation__holder").iterator(chunk_size=CHUNK):
        if subject in subjects and inspector in in_pool:
            by_subject.setdefault(subject, {}).setdefault(str(inspector), recent)
    return {str(member[0]): by_subject[member[1]] for member in members if member[1] in by_subject}


def _assign(result: list, *, draw: Draw, at: datetime) -> None:
    """The assignments, in the order of the result: on PostgreSQL one COPY (batched inserts) of text made in one
    go, without per-row formatting by the driver; elsewhere in batches."""
    if connection.vendor == "postgresql":
        tail = f"\t{int(draw.pk)}\t{at.astimezone(dt_timezone.utc).isoformat()}\n"
        data = "".join(f"{int(target)}\t{int(inspector)}{tail}"
                       for target, inspectors in result for inspector in inspectors).encode()
        table = connection.ops.quote_name(Assignment._meta.db_table)
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {table} (obligation_id, inspector_id, draw_id, assigned_at) "  # nosec B608
                                    "FROM STDIN") as copy:
                copy.write(data)
        return
    Writer(Assignment).write(({"obligation_id": target, "inspector_id": inspector, "draw_id": draw.pk}
                              for target, inspectors in result for inspector in inspectors), at)


def _set_state(ids: list[int], *, state: str, draw: Draw) -> None:
    """UPDATE the obligations by id: one statement with an array (`= ANY`, index scan) on PostgreSQL, chunks
    elsewhere."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {Obligation._meta.db_table} SET state = %s, draw_id = %s WHERE id = ANY(%s)",  # nosec B608
                           [state, draw.pk, ids])
        return
    for start in range(0, len(ids), CHUNK):
        Obligation.objects.filter(pk__in=ids[start:start + CHUNK]).update(state=state, draw=draw)


@transaction.atomic
def draw_define(*, by, title: str, matters, issued_from, issued_to, inspectors, seed_number: str,
                mode: str = DrawMode.WEIGHTED, share_percent=None, count=None, department: str = "",
                inspectors_per_target: int = 2, recheck_days: int = 180) -> Draw:
    require_supervisor(by)
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("Give the draw a title.")
    if not matters:
        errors["matters"] = _("Choose at least one matter.")
    if issued_from and issued_to and issued_to < issued_from:
        errors["issued_to"] = _("The end of the issue period is before its start.")
    if not (seed_number or "").strip():
        errors["seed_number"] = _("Enter the seed number (e.g. read out at the draw meeting).")
    if mode == DrawMode.SHARE and not (share_percent and 0 < float(share_percent) <= 100):
        errors["share_percent"] = _("The share must be between 0 and 100 %.")
    if mode == DrawMode.COUNT and not (count and int(count) > 0):
        errors["count"] = _("The number of licences must be at least 1.")
    if inspectors_per_target < 2:
        errors["inspectors_per_target"] = _("Each check needs at least two inspectors.")
    if errors:
        raise Refused(errors, code="invalid")
    draw = Draw.objects.create(
        title=title.strip(), issued_from=issued_from, issued_to=issued_to, department=department, mode=mode,
        share_percent=share_percent if mode == DrawMode.SHARE else None,
        count=count if mode == DrawMode.COUNT else None, seed_number=seed_number.strip(), created_by=by,
        inspectors_per_target=inspectors_per_target, recheck_days=recheck_days,
    )
    draw.matters.set(matters)
    draw.inspectors.set(inspectors)
    StateChange.record(draw, "", draw.state, by=by, reason=draw.title)
    return draw


def draw_run(*, draw_id: int, by) -> Draw:
    """Run a defined draw once: two supervisors starting it at once get one draw (row lock; the second is
    refused). Runs of different draws are serialised by the draw-number counter, and each applies any earlier draw
    not yet in effect before it reads its population, so no obligation is drawn twice. The run fixes and stores
    the result; draw_apply puts it into effect after the commit."""
    require_supervisor(by)
    with transaction.atomic():
        draw = Draw.objects.select_for_update().get(pk=draw_id)
        if draw.state != DrawState.DEFINED:
            raise Refused(_("Draw %(number)s was already run at %(at)s.")
                          % {"number": draw.number, "at": timezone.localtime(draw.drawn_at).strftime("%Y-%m-%d %H:%M")},
                          code="state")
        now = timezone.now()
        year = timezone.localdate(now).year
        number = f"SJ-{year}-{take_numbers(DrawCounter, year=year):05d}"  # locks the counter: runs in turn
        _apply_earlier_draws()  # an earlier draw's targets not yet marked would still look due
        population = _population(draw)
        if not population:
            raise Refused(_("No licence is due for verification in this population (matters, issue dates, "
                            "department); nothing to draw."), code="empty")
        pool = sorted(draw.inspectors.filter(is_active=True, groups__name=INSPECTOR).values_list("pk", flat=True))
        if len(pool) < draw.inspectors_per_target:
            raise Refused(_("The inspector pool has %(n)s active inspectors; each check needs %(k)s.")
                          % {"n": len(pool), "k": draw.inspectors_per_target}, code="pool")
        seed = seed_for(draw.seed_number, now, number)
        indexes = pick_targets(population, seed, draw.mode, draw.share_percent, draw.count)
        targets = (population.members(indexes) if isinstance(population, Population)
                   else [population[i] for i in indexes])
        exclusions = _exclusions(draw, targets, pool, now)
        result, short = pick_inspectors([t[0] for t in targets], pool, exclusions, seed, draw.inspectors_per_target)
        if short:
            numbers = list(Obligation.objects.filter(pk__in=short[:20]).values_list("licence__number", flat=True))
            raise Refused(_("Too few eligible inspectors (after recusals) for %(n)s licences: %(list)s.")
                          % {"n": len(short), "list": "、".join(numbers) + ("…" if len(short) > 20 else "")},
                          code="pool")
        draw.number, draw.drawn_at, draw.drawn_by, draw.algorithm, draw.seed = number, now, by, ALGORITHM, seed
        packed = pack(population)
        draw.population, draw.population_hash = store(packed), hashlib.sha256(packed).hexdigest()
        draw.population_size = len(population)
        draw.pool, draw.exclusions, draw.result = pool, exclusions, result
        draw.state = DrawState.DRAWN
        draw.save()
        StateChange.record(draw, DrawState.DEFINED, DrawState.DRAWN, by=by,
                           reason=_("%(targets)s of %(population)s drawn") % {"targets": len(result),
                                                                              "population": len(population)})
        # the result is fixed and stored; putting it into effect (100,000 assignments and 50,000 obligation states
        # at a provincial draw: 3–4 s of writes and foreign-key checks) follows the commit, a chunk per transaction
        enqueue("inspections.tasks.draw_apply", [draw.pk], key=f"draw-apply:{draw.pk}")
        return draw


APPLY_TARGETS = 10_000  # targets per transaction (2 assignments each, by default)
APPLY_NOT_DRAWN = 50_000  # members not drawn (weighted draws) per transaction


def draw_apply(draw_id: int) -> Draw:
    """Put a run draw's result into effect: its assignments and the drawn obligations' state (and, for a weighted
    draw, the not-drawn state of the rest of its population), a chunk per transaction, so an interrupted run
    resumes where it stopped. Each chunk locks the draw and records how far it got: two runs at once apply each
    chunk once. Sent by the outbox at the draw's commit; a later draw applies any draw still pending before it
    reads its own population. The draw_completed ports are told in the transaction of the chunk that writes the last
    assignment."""
    draw = Draw.objects.defer("population").get(pk=draw_id)
    if draw.state == DrawState.DEFINED or draw.applied_at:
        return draw
    result = draw.result
    not_drawn = _not_drawn(draw) if draw.mode == DrawMode.WEIGHTED else []
    total = len(result) + len(not_drawn)
    while True:
        with transaction.atomic():
            progress = Draw.objects.select_for_update().only("applied", "applied_at").get(pk=draw_id)
            if progress.applied_at:
                break
            done = before = progress.applied
            if done < len(result):
                chunk = result[done:done + APPLY_TARGETS]
                _assign(chunk, draw=draw, at=draw.drawn_at)
                _set_state([target for target, _inspectors in chunk], state=ObligationState.ASSIGNED, draw=draw)
                done += len(chunk)
            elif done < total:
                chunk = not_drawn[done - len(result):done - len(result) + APPLY_NOT_DRAWN]
                _set_state(chunk, state=ObligationState.NOT_SELECTED, draw=draw)
                done += len(chunk)
            progress.applied = done
            if done >= total:
                progress.applied_at = timezone.now()
            progress.save(update_fields=["applied", "applied_at"])
            if before < len(result) <= done or (before == 0 and not result):
                # the assignments are all in (a weighted draw's not-drawn marks may follow): the inspectors are
                # told now, not after those
                for handler in ports.draw_completed:  # from the start of the run
                    handler(draw=draw, seconds=(timezone.now() - draw.drawn_at).total_seconds())
            if progress.applied_at:
                break
    draw.refresh_from_db(fields=["applied", "applied_at"])
    return draw


def _not_drawn(draw: Draw) -> list[int]:
    """The members of a weighted draw's population that were not drawn, in population order."""
    population = Draw.objects.filter(pk=draw.pk).values_list("population", flat=True).get()
    drawn = {target for target, _inspectors in draw.result}
    return [member[0] for member in unpack(population) if member[0] not in drawn]


def draws_apply_pending() -> int:
    """Apply every draw whose result is not yet in effect (its task lost, or a draw about to read its population
    must see the earlier draws' targets as drawn); -> how many."""
    pending = list(Draw.objects.filter(state__in=[DrawState.DRAWN, DrawState.CONCLUDED], applied_at__isnull=True)
                   .order_by("drawn_at", "pk").values_list("pk", flat=True))
    for pk in pending:
        draw_apply(pk)
    return len(pending)


def _apply_earlier_draws() -> None:
    try:
        draws_apply_pending()
    except Exception as error:  # noqa: BLE001 - refused with the reason, not a server error
        logger.exception("an earlier draw's assignments could not be written")
        raise Refused(_("The assignments of an earlier draw could not be written yet (%(error)s), so this draw cannot "
                        "read its population now; nothing was drawn. The administrator sees the failed task under "
                        "Admin → task incidents.") % {"error": error}, code="pending") from error


def draw_verify(draw: Draw) -> list[str]:
    """Recompute the draw from what it stored; -> the mismatches (empty: it matches)."""
    problems = []
    if draw.state == DrawState.DEFINED:
        return [_("The draw has not been run.")]
    population = unpack(draw.population)
    if population_hash(population) != draw.population_hash:
        problems.append(_("The stored population does not match its hash."))
    if [m[0] for m in population] != sorted(m[0] for m in population):
        problems.append(_("The stored population is not sorted."))
    if seed_for(draw.seed_number, draw.drawn_at, draw.number) != draw.seed:
        problems.append(_("The seed does not follow from the seed number, the draw time and the number."))
    if draw.algorithm != ALGORITHM:
        problems.append(_("Unknown algorithm %(algorithm)s.") % {"algorithm": draw.algorithm})
        return problems
    indexes = pick_targets(population, draw.seed, draw.mode, draw.share_percent, draw.count)
    targets = [population[i][0] for i in indexes]
    result, short = pick_inspectors(targets, draw.pool, draw.exclusions, draw.seed, draw.inspectors_per_target)
    if short or result != draw.result:
        problems.append(_("Recomputing the draw gives a different result."))
    if not draw.applied_at:
        problems.append(_("The assignments are still being written (%(done)s of %(total)s licences); verify again "
                          "in a moment.") % {"done": min(draw.applied, len(draw.result)), "total": len(draw.result)})
        return problems
    stored = sorted(Assignment.objects.filter(draw=draw).values_list("obligation_id", "inspector_id"))
    expected = sorted((target, inspector) for target, inspectors in draw.result for inspector in inspectors)
    if stored != expected:
        problems.append(_("The assignments in the database differ from the stored result."))
    return problems


def recusal_declare(*, inspector, subject, reason: str, by) -> Recusal:
    require_supervisor(by) if by != inspector else None
    if not (reason or "").strip():
        raise Refused({"reason": _("Give the reason for the recusal.")}, code="reason")
    recusal, _created = Recusal.objects.get_or_create(inspector=inspector, subject=subject,
                                                      defaults={"reason": reason.strip(), "created_by": by})
    return recusal


def inspectors():
    return get_user_model().objects.filter(groups__name=INSPECTOR, is_active=True).order_by("username")
