"""Keeps the demo county alive: new reports from every channel, and every role acting on its
queue, through the case services and on the application clock.

The same simulator builds the demo's months of history (the clock moved in steps) and, sped
up, is the load generator for benchmarks. Each open case gets a time at which its next actor
will act; behaviour varies by department (some are slow, so cases go overdue) and by chance
(false reports, returns, extensions, the long-term ledger, rework).
"""

import heapq
import math
import random
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Max, Min
from django.utils import timezone

from urbangrid.accounts import permissions
from urbangrid.accounts.models import Department, Role, User
from urbangrid.cases import routing, services
from urbangrid.cases.calendar import default_calendar
from urbangrid.cases.models import TERMINAL_STATES, Case, Request, State
from urbangrid.components.models import Component
from urbangrid.core import clock
from urbangrid.core.background import repeat
from urbangrid.core.errors import ServiceError
from urbangrid.geo import geocoding
from urbangrid.geo.models import ResponsibilityGrid, UnitGrid
from urbangrid.intake import duty

from .photos import photo

# The mix of problems a county's supervisors and citizens report (matter codes, GB/T 47678.5-2026).
MATTER_MIX = {
    "06010": 14,
    "06012": 8,
    "06036": 9,
    "06011": 4,
    "06007": 3,
    "06001": 2,  # 暴露垃圾 道路不洁 乱堆杂物 积存垃圾渣土 沿街晾挂 私搭乱建
    "07001": 9,
    "07003": 2,  # 非法小广告 违规户外广告
    "08011": 2,
    "08001": 1,  # 渣土车未密闭, 施工
    "09006": 10,
    "09005": 7,
    "09001": 5,
    "09009": 9,
    "09010": 6,  # 占道经营 店外经营 无照游商 机动车/非机动车乱停放
}
COMPONENT_SHARE = (
    0.28  # share of reports about a component (部件问题); Tianmen reported 2.5 %, older systems far more
)
DESCRIPTIONS = {
    "06010": "人行道旁暴露垃圾，未入桶",
    "06012": "路面有大量泥土和垃圾，不洁",
    "06036": "沿街乱堆杂物，占用人行道",
    "06011": "积存建筑垃圾渣土未清运",
    "06007": "沿街晾挂衣物",
    "06001": "屋顶私搭乱建棚房",
    "07001": "电杆上张贴非法小广告",
    "07003": "户外广告牌破损有安全隐患",
    "08011": "渣土车未密闭沿途撒漏",
    "08001": "施工工地围挡不规范",
    "09006": "流动摊贩占道经营",
    "09005": "商铺店外经营，占用人行道",
    "09001": "无照游商聚集叫卖",
    "09009": "机动车在人行道上违停",
    "09010": "非机动车乱停放堵塞盲道",
}
CHANNELS = [
    ("supervisor", 60),
    ("public", 17),
    ("hotline_12319", 13),
    ("transfer_12345", 5),
    ("video", 3),
    ("assigned", 1),
    ("leader", 0.5),
    ("media", 0.5),
]
DESK_CALLERS = ("hotline_12319", "transfer_12345")  # the other desk channels name no caller
# Mean reaction, in hours, of each kind of actor once a case reaches them: the centre's desks
# well inside their 10–30 minute limits, the supervisors' visits inside their working hour.
# Supervisors walk their grids at a stroll (m/s); their phones send a position this often (s)
# while the demo runs live, and more coarsely while history is being built.
WALK_SPEED = 1.3
LIVE_POSITION_S = 30.0
HISTORY_POSITION_S = 300.0
REACTION_HOURS = {
    State.REPORTED: 0.06,
    State.VERIFYING: 0.45,
    State.FILING: 0.12,
    State.DISPATCHING: 0.12,
    State.CHECKING: 0.5,
    State.CLOSING: 0.12,
    State.CLOSED: 40.0,
}


@dataclass
class Cast:
    intake: list
    shift: list
    dispatchers: list
    leaders: list
    citizens: list
    supervisors: dict  # user id -> list of grid codes
    workers: dict  # department id -> users

    @classmethod
    def load(cls) -> "Cast":
        def with_role(role):
            return list(User.objects.filter(is_active=True, role_grants__role=role).order_by("id"))

        supervisors = {}
        for rg in ResponsibilityGrid.objects.prefetch_related("supervisors"):
            for user in rg.supervisors.all():
                supervisors.setdefault(user.pk, []).extend(rg.grid_codes)
        workers = {}
        for user in with_role(Role.DISPOSER):
            if user.department_id:
                workers.setdefault(user.department_id, []).append(user)
        return cls(
            with_role(Role.INTAKE),
            with_role(Role.SHIFT_LEADER),
            with_role(Role.DISPATCHER),
            # The county's leaders, who may decide and urge on any case.
            [u for u in with_role(Role.LEADER) if permissions.scope_of(u).everything],
            with_role(Role.CITIZEN),
            supervisors,
            workers,
        )


@dataclass
class Simulator:
    reports_per_day: float = 40.0
    seed: int = 1
    rng: random.Random = field(init=False)
    cast: Cast = field(init=False)
    next_at: dict = field(default_factory=dict)  # case number -> when its next actor acts
    pace: dict = field(default_factory=dict)  # department id -> share of the limit it usually takes
    work_done_at: dict = field(default_factory=dict)  # case number -> when its department finishes
    stats: dict = field(default_factory=dict)
    replaying: bool = False  # building history on a frozen clock rather than living in real time
    patrol: bool = True  # supervisors go on duty in working hours and walk their grids
    patrol_days: int = 7  # while building history, only its last days have patrols (positions are many)
    walkers: dict = field(default_factory=dict)  # supervisor id -> Walker while on duty
    patrol_from: datetime | None = None

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        # The walks draw from their own stream, so that patrols never change the cases' history.
        self.walk_rng = random.Random(self.seed + 1)
        self.cast = Cast.load()
        self.users = {u.pk: u for u in User.objects.filter(role_grants__role=Role.SUPERVISOR)}
        for dept in Department.objects.order_by("code"):
            # Most departments finish within about half the limit; a few are habitually late.
            self.pace[dept.pk] = self.rng.choice([0.35, 0.45, 0.55, 0.6, 0.7, 0.8, 1.1, 1.4])
        bounds = Component.objects.aggregate(lo=Min("id"), hi=Max("id"))
        self.component_ids = (bounds["lo"], bounds["hi"])
        self.calendar = default_calendar()
        # Pick up where the last run left off; cases in the long-term ledger stay there.
        waiting = Case.objects.exclude(state__in=[*TERMINAL_STATES, State.SUSPENDED])
        for number, state in waiting.values_list("number", "state"):
            self.next_at[number] = clock.now() + self._delay(REACTION_HOURS.get(state, 1.0))

    # -- time ----------------------------------------------------------------------------------

    def _working(self, at: datetime) -> bool:
        return any(a <= at < b for a, b in self.calendar.working_periods(timezone.localtime(at).date()))

    def _next_working(self, at: datetime) -> datetime:
        day = timezone.localtime(at).date()
        for n in range(30):
            for begin, _end in self.calendar.working_periods(day + timedelta(days=n)):
                if begin > at:
                    return begin
        return at + timedelta(days=1)

    def _centre_open(self, at: datetime) -> bool:
        return 7 <= timezone.localtime(at).hour < 22

    def _centre_opens(self, at: datetime) -> datetime:
        local = timezone.localtime(at)
        opens = local.replace(hour=7, minute=0, second=0, microsecond=0)
        return opens if opens > local else opens + timedelta(days=1)

    def _delay(self, mean_hours: float) -> timedelta:
        return timedelta(hours=self.rng.expovariate(1 / mean_hours))

    # -- one step of simulated time -------------------------------------------------------------

    def step(self, minutes: float) -> dict:
        """Everything that happens in the `minutes` up to now. While building history (the clock
        frozen by `run`) each report and action happens at its own moment, not on the step's
        boundary, so the timeline reads like a real one."""
        end = clock.now()
        start = end - timedelta(minutes=minutes)
        hour = timezone.localtime(start).hour
        daytime = 1.6 if 8 <= hour < 18 else 0.6 if 6 <= hour < 22 else 0.1
        expected = self.reports_per_day / 24 / 60 * minutes * daytime
        # A queue of moments: the reports arriving in this step, and each case's next actor. An
        # action may make the next one due within the same step (受理 minutes after a report).
        events = [
            (start + timedelta(minutes=self.rng.uniform(0, minutes)), n, "")
            for n in range(self._poisson(expected))
        ]
        events += [(at, 0, number) for number, at in self.next_at.items() if at <= end]
        heapq.heapify(events)
        while events:
            at, _tie, number = heapq.heappop(events)
            if number and self.next_at.get(number) != at:
                continue  # rescheduled since it was queued
            if self.replaying:
                clock.clock.freeze(max(at, start))
            if number:
                self._act(number, clock.now())
            else:
                number = self._report(clock.now())
            following = self.next_at.get(number) if number else None
            if following is not None and following <= end:
                heapq.heappush(events, (following, 0, number))
        if self.replaying:
            clock.clock.freeze(end)
        if self.rng.random() < minutes / 240:  # a leader urges an overdue case now and then
            self._urge(end)
        services.tick(end)
        if self.patrol and (self.patrol_from is None or end >= self.patrol_from):
            self._patrol(end)
        return self.stats

    def _urge(self, now) -> None:
        overdue = (
            Case.objects.filter(state=State.DISPOSING, step_due_at__lt=now).order_by("step_due_at").first()
        )
        if overdue is not None and self.cast.leaders:
            services.urge(self._pick(self.cast.leaders), overdue.number, note="请抓紧处置，尽快反馈")
            self._count("urged")

    def run(self, start: datetime, end: datetime, step_minutes: float = 20, progress=None) -> dict:
        """Drive the county from `start` to `end` on the application clock (history building)."""
        self.replaying = True
        self.patrol_from = end - timedelta(days=self.patrol_days)
        total = max(int((end - start).total_seconds() // 60 / step_minutes), 1)
        for i in range(total):
            clock.clock.freeze(start + timedelta(minutes=step_minutes * (i + 1)))
            self.step(step_minutes)
            if progress:
                progress(i + 1)
        return self.stats

    def _poisson(self, lam: float) -> int:
        threshold, k, p = math.exp(-lam), 0, 1.0
        while True:
            p *= self.rng.random()
            if p <= threshold:
                return k
            k += 1

    def _count(self, key: str) -> None:
        self.stats[key] = self.stats.get(key, 0) + 1

    # -- reports ------------------------------------------------------------------------------------

    def _report(self, now) -> str | None:
        """A new report through the services; returns its case number."""
        channel = self.rng.choices([c for c, _ in CHANNELS], [w for _, w in CHANNELS])[0]
        if channel == "supervisor" and not self._working(now):
            return None  # supervisors patrol in working hours only
        actor, extra, patrol = self._reporter(channel)
        component = self._component() if self.rng.random() < COMPONENT_SHARE else None
        if component is not None:
            type_code, lon, lat, kind = component.type.code, component.lon, component.lat, "component"
            description = f"{component.type.name}{self.rng.choice(['破损', '缺失', '松动', '损坏', '倾斜'])}"
        else:
            type_code = self.rng.choices(list(MATTER_MIX), list(MATTER_MIX.values()))[0]
            lon, lat = self._point(patrol)
            kind, description = "matter", DESCRIPTIONS[type_code]
        try:
            case = services.report_case(
                actor,
                source=channel,
                kind=kind,
                type_code=type_code,
                description=description,
                lon=lon,
                lat=lat,
                component_code=component.code if component else "",
                photos=[photo(type_code, "report", self.rng.randrange(3))],
                urgency="urgent" if self.rng.random() < 0.04 else "normal",
                **extra,
            )
        except ServiceError:
            self._count("report_refused")
            return None
        self._count("reported")
        self.next_at[case.number] = now + self._delay(REACTION_HOURS[State.REPORTED])
        return case.number

    def _reporter(self, channel: str) -> tuple:
        """Who reports, with what extra details, and (for a supervisor) the grids they patrol."""
        if channel == "supervisor":
            supervisor = self.rng.choice(sorted(self.cast.supervisors))
            return self.users[supervisor], {}, self.cast.supervisors[supervisor]
        phone = f"1{self.rng.choice('3589')}{self.rng.randrange(10**8, 10**9)}"
        if channel == "public" and self.cast.citizens:
            return self.rng.choice(self.cast.citizens), {"reporter_phone": phone}, None
        if channel not in DESK_CALLERS:
            return self.rng.choice(self.cast.intake), {}, None
        name = self.rng.choice(
            ["张先生", "李女士", "王先生", "刘女士", "陈先生", "杨女士", "赵先生", "周女士"]
        )
        return self.rng.choice(self.cast.intake), {"reporter_phone": phone, "reporter_name": name}, None

    def _component(self):
        lo, hi = self.component_ids
        if lo is None:
            return None
        for _ in range(5):  # by primary key: a filter on status would scan the whole registry
            component = (
                Component.objects.select_related("type")
                .filter(id__gte=self.rng.randint(lo, hi))
                .order_by("id")
                .first()
            )
            if component is not None and component.status == "intact":
                return component
        return None

    def _point(self, codes) -> tuple[float, float]:
        grids = UnitGrid.objects.filter(valid_to__isnull=True)
        grid = grids.filter(code=self.rng.choice(codes)).first() if codes else None
        if grid is None:
            count = grids.count()
            grid = grids.order_by("id")[self.rng.randrange(count)]
        for _ in range(20):
            lon = self.rng.uniform(grid.min_lon, grid.max_lon)
            lat = self.rng.uniform(grid.min_lat, grid.max_lat)
            try:
                geocoding.locate(lon, lat)
                return lon, lat
            except geocoding.OutsideJurisdiction:
                continue
        return grid.centroid_lon, grid.centroid_lat

    # -- patrols ------------------------------------------------------------------------------------

    def _patrol(self, now) -> None:
        """Supervisors on duty in working hours (上岗/下岗 through the duty service), walking
        their responsibility grids and sending positions as their field app would."""
        working = self._working(now)
        every = HISTORY_POSITION_S if self.replaying else LIVE_POSITION_S
        for user_id, codes in sorted(self.cast.supervisors.items()):
            user = self.users.get(user_id)
            if user is None or not codes:
                continue
            walker = self.walkers.get(user_id)
            if not working:
                if walker is not None:
                    duty.go_off_duty(user)
                    del self.walkers[user_id]
                continue
            if walker is None:
                walker = self.walkers[user_id] = Walker.start(codes, now, self.walk_rng)
                duty.go_on_duty(user)
                points = [duty.Point(now, walker.lon, walker.lat)]
            else:
                points = walker.walk(now, every, self.walk_rng)
            if points:
                duty.record_positions(user, points[-duty.MAX_POINTS_PER_CALL :])

    # -- actions ------------------------------------------------------------------------------------

    def _act(self, number: str, now) -> None:
        case = Case.objects.select_related("type", "department").get(number=number)
        handler = getattr(self, f"_on_{case.state}", None)
        if handler is None:
            self.next_at.pop(number, None)
            return
        # Off duty, the next actor picks the case up some minutes after the next shift begins.
        if case.state in (State.DISPOSING, State.VERIFYING, State.CHECKING, State.SUSPENDED):
            if not self._working(now):
                self.next_at[number] = self._next_working(now) + timedelta(minutes=self.rng.uniform(5, 60))
                return
        elif not self._centre_open(now):
            self.next_at[number] = self._centre_opens(now) + timedelta(minutes=self.rng.uniform(5, 60))
            return
        try:
            later = handler(case, now)
        except ServiceError as exc:
            self._count(f"refused:{exc.code}")
            later = self._delay(1.0)
        if later is None:
            self.next_at.pop(number, None)
        else:
            self.next_at[number] = now + later

    def _pick(self, users):
        return self.rng.choice(users)

    def _on_reported(self, case, now):
        intake = self._pick(self.cast.intake)
        r = self.rng.random()
        dupes = [
            c
            for c in Case.objects.filter(
                state__in=[State.VERIFYING, State.FILING, State.DISPATCHING, State.DISPOSING],
                type=case.type,
                grid_code=case.grid_code,
            ).exclude(pk=case.pk)[:1]
        ]
        if dupes and r < 0.7:
            services.merge(intake, case.number, into=dupes[0].number, note="同一问题，合并处理")
            self._count("merged")
            return None
        if r < 0.05:
            services.reject(
                intake,
                case.number,
                reason_code=self.rng.choice(["invalid", "not_city_management", "out_of_jurisdiction"]),
            )
            self._count("rejected")
            return None
        services.accept(intake, case.number)
        return self._delay(
            REACTION_HOURS[State.VERIFYING] if case.source != "supervisor" else REACTION_HOURS[State.FILING]
        )

    def _on_verifying(self, case, now):
        confirmed = self.rng.random() < 0.9
        services.verify(
            case.assignee,
            case.number,
            confirmed=confirmed,
            note="现场核实属实" if confirmed else "现场未发现该问题",
            photos=[photo(case.type.code, "verify", self.rng.randrange(3))] if confirmed else [],
        )
        return self._delay(REACTION_HOURS[State.FILING])

    def _on_filing(self, case, now):
        shift = self._pick(self.cast.shift)
        verified = case.actions.filter(action="verify").order_by("-at").values_list("data", flat=True).first()
        if (verified and not verified.get("confirmed")) or self.rng.random() < 0.03:
            services.not_file(shift, case.number, reason_code="not_found" if verified else "below_condition")
            self._count("not_filed")
            return None
        services.file_case(shift, case.number, meets_condition=True, note="符合立案条件")
        return self._delay(REACTION_HOURS[State.DISPATCHING])

    def _on_dispatching(self, case, now):
        if self.rng.random() < 0.01:  # now and then a case turns out to be entered by mistake
            services.cancel(
                self._pick(self.cast.shift), case.number, reason_code="mistake", note="录入错误，作废"
            )
            self._count("cancelled")
            return None
        suggestion = routing.suggest_department(case)
        department, reason = suggestion.department, ""
        returned = case.actions.filter(action="return").exists()
        if (
            department is None
            or department.pk not in self.cast.workers
            or returned
            or self.rng.random() < 0.05
        ):
            others = [d for d in Department.objects.filter(pk__in=self.cast.workers) if d != department]
            department, reason = self.rng.choice(others), "redispatch" if returned else "better_department"
        services.dispatch(
            self._pick(self.cast.dispatchers), case.number, department=department, reason_code=reason
        )
        return self._disposal_delay(case.number, department, new_task=True)

    def _disposal_delay(self, number: str, department, *, new_task: bool = False) -> timedelta:
        case = Case.objects.get(number=number)
        span = (case.disposal_due_at - clock.now()) if case.disposal_due_at else timedelta(hours=8)
        share = self.rng.lognormvariate(math.log(self.pace.get(department.pk, 0.6)), 0.45)
        if not new_task:
            return span * share
        # A new task (dispatch, rework): the department signs for it (签收) soon, then works on it.
        self.work_done_at[number] = clock.now() + span * share
        return min(span * share, self._delay(0.5))

    def _worker(self, case):
        return self._pick(self.cast.workers.get(case.department_id) or [None])

    def _on_disposing(self, case, now):
        worker = self._worker(case)
        if worker is None:
            return None
        if case.number in self.work_done_at:
            services.receive(worker, case.number, note="已签收，安排人员处置")
            left = self.work_done_at.pop(case.number) - now
            if left > timedelta(0):
                return left
        pending = Request.objects.filter(case=case, status=Request.Status.PENDING).first()
        if pending is not None:
            return self._decide(pending)
        r = self.rng.random()
        if r < 0.04 and case.return_count == 0:
            services.return_case(
                worker, case.number, reason_code="not_our_duty", note="经现场查看，非本单位管养范围"
            )
            self._count("returned")
            return self._delay(REACTION_HOURS[State.DISPATCHING])
        if r < 0.08 and case.extension_count < 2:
            services.request_extension(
                worker,
                case.number,
                reason_code=self.rng.choice(["weather", "materials", "engineering"]),
                extra_value=self.rng.choice([4, 8, 16]),
                extra_unit="work_hours",
                note="需延长处置时间",
            )
            self._count("extension_requested")
            return self._delay(2.0)
        if r < 0.095:
            services.request_suspend(
                worker,
                case.number,
                reason_code=self.rng.choice(["engineering", "funding", "seasonal"]),
                note="需纳入工程计划实施",
            )
            self._count("suspend_requested")
            return self._delay(4.0)
        services.feedback(
            worker,
            case.number,
            note="已按要求处置完毕",
            photos=[photo(case.type.code, "dispose", self.rng.randrange(3))],
        )
        return self._delay(REACTION_HOURS[State.CHECKING])

    def _decide(self, req):
        role_users = self.cast.shift if req.approver_role == Role.SHIFT_LEADER else self.cast.leaders
        approve = self.rng.random() < 0.8
        services.decide_request(
            self._pick(role_users),
            req.pk,
            approve=approve,
            note="同意" if approve else "理由不充分，请按期处置",
        )
        self._count("request_decided")
        if approve and req.kind == "suspend":
            return self._delay(24 * 20) if self.rng.random() < 0.5 else None  # half stay in the ledger
        return self._disposal_delay(req.case.number, req.case.department)

    def _on_suspended(self, case, now):
        services.resume(self._pick(self.cast.dispatchers), case.number, note="已具备处置条件，恢复处置")
        return self._disposal_delay(case.number, case.department)

    def _on_checking(self, case, now):
        supervisor = case.assignee
        if supervisor is None:
            return None
        passed = self.rng.random() < 0.88
        services.check(
            supervisor,
            case.number,
            passed=passed,
            reason_code="" if passed else "incomplete",
            note="现场核查已处置到位" if passed else "处置不彻底",
            photos=[photo(case.type.code, "check", self.rng.randrange(3))],
        )
        if not passed:
            self._count("reworked")
            return self._disposal_delay(case.number, case.department, new_task=True)
        return self._delay(REACTION_HOURS[State.CLOSING])

    def _on_closing(self, case, now):
        services.close(self._pick(self.cast.shift), case.number, meets_condition=True, note="符合结案条件")
        self._count("closed")
        return self._delay(REACTION_HOURS[State.CLOSED])

    def _on_closed(self, case, now):
        services.archive(self._pick(self.cast.shift), case.number)
        return None


@dataclass
class Walker:
    """A supervisor strolling from one random spot of their grids to the next."""

    boxes: list  # (min_lon, min_lat, max_lon, max_lat) of each of their grids
    lon: float
    lat: float
    last_at: datetime
    target: tuple = (0.0, 0.0)

    @classmethod
    def start(cls, codes, now, rng) -> "Walker":
        grids = UnitGrid.objects.filter(valid_to__isnull=True, code__in=codes)
        boxes = list(grids.values_list("min_lon", "min_lat", "max_lon", "max_lat"))
        walker = cls(boxes, 0.0, 0.0, now)
        walker.lon, walker.lat = walker._spot(rng)
        walker.target = walker._spot(rng)
        return walker

    def _spot(self, rng) -> tuple[float, float]:
        w, s, e, n = rng.choice(self.boxes)
        return rng.uniform(w, e), rng.uniform(s, n)

    def walk(self, now, every: float, rng) -> list:
        points = []
        at = self.last_at + timedelta(seconds=every)
        while at <= now:
            self._advance(WALK_SPEED * every, rng)
            points.append(duty.Point(at, self.lon, self.lat))
            self.last_at = at
            at += timedelta(seconds=every)
        return points

    def _advance(self, metres: float, rng) -> None:
        k = math.cos(math.radians(self.lat))
        dx, dy = (self.target[0] - self.lon) * k * 111_320, (self.target[1] - self.lat) * 111_320
        left = math.hypot(dx, dy)
        if left <= metres:
            self.lon, self.lat = self.target
            self.target = self._spot(rng)
            return
        self.lon += dx / left * metres / (k * 111_320)
        self.lat += dy / left * metres / 111_320


def start_in_background(reports_per_day: float, interval: float = 15.0) -> threading.Thread:
    """Keep the county alive while the demo serves: every `interval` seconds, one step covering
    the real time since the last, so reports arrive at `reports_per_day` and queued cases move."""
    state: dict = {}

    def work() -> None:
        now = clock.now()
        if "sim" not in state:
            state["sim"] = Simulator(reports_per_day, seed=int(now.timestamp()))
            state["last"] = now
        minutes = (now - state["last"]).total_seconds() / 60
        state["last"] = now
        state["sim"].step(minutes)

    return repeat("urbangrid-simulator", interval, work)
