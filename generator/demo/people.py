"""Demo school: fictional people — students (with valid national IDs) and staff.

Every name is drawn at random from short lists of common characters; none is a real
person's. The leadership roster copies the sample school's (records/staff.yaml).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from ..records.national_id import LETTERS, with_check_digit

SURNAMES = [
    ("陳", "chen"), ("林", "lin"), ("黃", "huang"), ("張", "zhang"), ("李", "li"), ("王", "wang"),
    ("吳", "wu"), ("劉", "liu"), ("蔡", "cai"), ("楊", "yang"), ("許", "xu"), ("鄭", "zheng"),
    ("謝", "xie"), ("郭", "guo"), ("洪", "hong"), ("邱", "qiu"), ("曾", "zeng"), ("廖", "liao"),
    ("賴", "lai"), ("徐", "xu"), ("周", "zhou"), ("葉", "ye"), ("蘇", "su"), ("莊", "zhuang"),
    ("江", "jiang"), ("呂", "lu"), ("何", "he"), ("羅", "luo"), ("高", "gao"), ("蕭", "xiao"),
]
GIVEN = [
    ("家", "jia"), ("怡", "yi"), ("宇", "yu"), ("承", "cheng"), ("思", "si"), ("子", "zi"),
    ("冠", "guan"), ("雅", "ya"), ("柏", "bo"), ("欣", "xin"), ("宜", "yi"), ("俊", "jun"),
    ("品", "pin"), ("佳", "jia"), ("彥", "yan"), ("庭", "ting"), ("瑋", "wei"), ("婷", "ting"),
    ("翔", "xiang"), ("萱", "xuan"), ("睿", "rui"), ("恩", "en"), ("晴", "qing"), ("哲", "zhe"),
    ("安", "an"), ("芸", "yun"), ("維", "wei"), ("妤", "yu"), ("浩", "hao"), ("筑", "zhu"),
    ("廷", "ting"), ("涵", "han"), ("軒", "xuan"), ("琪", "qi"), ("紹", "shao"), ("澄", "cheng"),
]
STAFF_DOMAIN = "example.edu.tw"
STUDENT_DOMAIN = "stu.example.edu.tw"


@dataclass
class Person:
    id: str               # staff id, or the student number
    name: str
    email: str

    @property
    def ident(self) -> str:
        return f"{self.name} <{self.email}>"


@dataclass
class Staff(Person):
    roles: list[str]
    since: str = "2015-08-01"
    until: str | None = None
    account_until: str | None = None
    unavailable: list[tuple[str, str, str]] = field(default_factory=list)  # (from, until, reason)
    subject: str | None = None   # a teacher's department
    note: str | None = None      # the comment line above the entry


@dataclass
class Student(Person):
    cohort: int           # ROC year of admission (= grade 1 in that academic year)
    klass: int            # class number within the grade, 1..
    seat: int
    national_id: str
    birth_date: str
    transfer_in: str | None = None   # date, when the student came from another school

    @property
    def login(self) -> str:
        return self.email.split("@", 1)[0]

    def class_in(self, semester: str) -> str | None:
        """'201' for the class in `semester`, None before admission."""
        year = int(semester.split("-")[0])
        grade = year - self.cohort + 1
        if not 1 <= grade <= 3:
            return None
        if self.transfer_in and semester < "114-2":
            return None
        return f"{grade}{self.klass:02d}"


# The sample school's leadership and offices (records/staff.yaml), copied as they are.
LEADERSHIP = [
    ("lin-zhiyuan", "林志遠", "principal", "2021-08-01", "校長"),
    ("huang-shufen", "黃淑芬", "academic_director", "2012-08-01", "教務主任（工作小組執行秘書、作業期程規劃）"),
    ("zhang-wenbin", "張文彬", "student_affairs_director", "2010-08-01", "學務主任"),
    ("li-peishan", "李佩珊", "counseling_director", "2011-08-01", "輔導主任"),
    ("wu-jianhong", "吳建宏", "practicum_director", "2009-08-01", "實習主任"),
    ("chen-yijun", "陳怡君", "teaching_chief", "2014-08-01", "教學組長（認證代理人第一順位）"),
    ("wang-yating", "王雅婷", "registration_chief", "2013-08-01", "註冊組長"),
    ("xu-huiwen", "許惠雯", "registration_staff", "2018-08-01", "註冊組"),
    ("liu-guanting", "劉冠廷", "activities_chief", "2015-08-01", "訓育組長"),
    ("zheng-yuxuan", "鄭宇軒", "activities_staff", "2020-08-01", "訓育組"),
    ("cai-mingzhe", "蔡明哲", "admissions_chief", "2016-08-01", "招生組長"),
    ("xie-jiarong", "謝佳蓉", "admissions_staff", "2019-08-01", "招生組"),
    ("yang-ziqing", "楊子晴", "course_counselor", "2017-08-01", "課程諮詢教師"),
    ("zhou-jiahao", "周家豪", "course_counselor", "2018-08-01", "課程諮詢教師"),
    ("he-meiling", "何美玲", "counselor", "2012-08-01", "輔導教師"),
    ("luo-zhiming", "羅志明", "counselor", "2016-08-01", "輔導教師"),
]


def staff_email(staff_id: str) -> str:
    return f"{staff_id.replace('-', '.')}@{STAFF_DOMAIN}"


def leadership() -> list[Staff]:
    return [Staff(sid, name, staff_email(sid), [role], since, note=note)
            for sid, name, role, since, note in LEADERSHIP]


def national_id(rng: random.Random, used: set[str]) -> str:
    """A fictional Taiwan ID with a correct check digit, unique within `used`."""
    while True:
        letter = rng.choice(LETTERS[:24])  # the ordinary county letters
        digits = [rng.choice((1, 2))] + [rng.randrange(10) for _ in range(7)]
        text = with_check_digit(letter + "".join(map(str, digits)))
        if text not in used:
            used.add(text)
            return text


def chinese_name(rng: random.Random) -> tuple[str, str, str]:
    """(name, surname pinyin, given-name pinyin)."""
    surname, s_py = rng.choice(SURNAMES)
    parts = rng.sample(GIVEN, 2 if rng.random() < 0.9 else 1)
    return surname + "".join(c for c, _ in parts), s_py, "".join(p for _, p in parts)


def make_students(rng: random.Random, total: int, cohorts=(113, 114, 115), class_size: int = 30):
    """Students of three cohorts, numbered <cohort><class:02><seat:02> like the sample."""
    students: list[Student] = []
    used_ids: set[str] = set()
    per_cohort = [total // len(cohorts) + (i < total % len(cohorts)) for i in range(len(cohorts))]
    for cohort, count in zip(cohorts, per_cohort):
        n_classes = max(1, min(99, round(count / class_size)))  # larger classes past 99 (numbers have 2 digits)
        if count > 99 * 99:
            raise ValueError(f"{count} students in one cohort need more than 99 classes of 99")
        for index in range(count):
            klass, seat = index % n_classes + 1, index // n_classes + 1
            name, _, _ = chinese_name(rng)
            no = f"{cohort}{klass:02d}{seat:02d}"
            born_year = cohort + 1911 - 16
            birth = f"{born_year + rng.choice((0, 1))}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            if birth < f"{born_year}-09-02":
                birth = f"{born_year}-{rng.randint(9, 12):02d}-{rng.randint(2, 28):02d}"
            elif birth > f"{born_year + 1}-09-01":
                birth = f"{born_year + 1}-{rng.randint(1, 8):02d}-{rng.randint(1, 28):02d}"
            students.append(Student(no, name, f"s{no}@{STUDENT_DOMAIN}", cohort, klass, seat,
                                    national_id(rng, used_ids), birth))
    # a few of the 114 cohort joined at the start of 114-2 (like the sample's 1140110)
    joined = [s for s in students if s.cohort == 114][3::97][:3]
    for s in joined:
        s.transfer_in = "2026-02-09"
    return students


def new_teacher(rng: random.Random, used: set[str], subject: str) -> Staff:
    while True:
        name, s_py, g_py = chinese_name(rng)
        if len(name) == 3 and f"{s_py}-{g_py}" not in used:
            break
    sid = f"{s_py}-{g_py}"
    used.add(sid)
    since = f"{rng.randint(2005, 2024)}-08-01"
    return Staff(sid, name, staff_email(sid), ["teacher"], since, subject=subject)
