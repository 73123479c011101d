#!/usr/bin/env python3
"""Writes a deterministic month of customers and their transactions for rulebooks/cn/aml-monitoring.yaml.

Each line is one customer in the shape of examples/transactions/stream.jsonl. Ordinary activity
(November 1-10) stays well under every threshold; about one customer in three also gets one
planted pattern (November 12-21, so no 24-hour window mixes the two),
either one the rules must flag (three cash deposits of 45,000-49,999.99 within 24 hours, exactly
90% out after 100,000 in, ...) or a near miss they must not (the same deposits 24 h 1 min apart,
89,999.99 out, ...). `--labels FILE` writes which customer got which pattern and whether it
should be flagged, so a test can check the rules against the plan and not only against
themselves.

Amounts are whole cents (int) formatted as "12345.67 CNY": no float ever touches money.
The same --customers and --seed always give the same bytes.

    python3 examples/spark/generate.py --customers 3000 --seed 17 --output customers.jsonl
"""

import argparse
import json
import random
import sys
from datetime import datetime, timedelta, timezone

BEIJING = timezone(timedelta(hours=8))
MONTH_START = datetime(2026, 11, 1, tzinfo=BEIJING)

# Surnames close to a name on the demo list (欧阳锋, 岳不群, 丁春秋) are left out, so ordinary
# customers never resemble a listed name.
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕"
GIVEN = "伟芳娜敏静磊洋艳勇军杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国志强丽婷雪梅晨宇浩然思远佳怡子涵"
COMPANIES = ["华信贸易", "宏达物流", "金桥建材", "恒泰电子", "瑞丰食品", "远航船务", "明德教育", "新源能源"]
CITIES = ["上海", "北京", "深圳", "杭州", "南京", "成都", "武汉", "苏州"]
SHOPS = ["美团", "京东商城", "淘宝", "超市", "加油站", "某酒店", "星巴克", "滴滴出行", "电影院"]


def money(cents, currency="CNY"):
    """Whole cents as the schema's money text: 4500000 -> "45000.00 CNY"."""
    return f"{cents // 100}.{cents % 100:02d} {currency}"


def at_text(moment, utc=False):
    """An ISO 8601 date-time with its offset, Beijing time unless `utc` (written with Z)."""
    if utc:
        return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
    return moment.isoformat()


def when(day, hour, minute=0):
    """Beijing time on November `day`, 2026."""
    return MONTH_START + timedelta(days=day - 1, hours=hour, minutes=minute)


def tx(moment, cents, channel, direction, counterparty, currency="CNY", utc=False):
    return {"at": at_text(moment, utc), "amount": money(cents, currency), "channel": channel,
            "direction": direction, "counterparty": counterparty}


def person_name(rng):
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


def ordinary_person(rng):
    """A salary, rent, shopping and small cash: under every threshold whatever the draw."""
    txs = [tx(when(rng.randint(1, 5), 9), rng.randint(500000, 3000000), "transfer_domestic", "inbound",
              f"{rng.choice(CITIES)}某{rng.choice(COMPANIES)}有限公司 工资"),
           tx(when(rng.randint(3, 8), 19, 10), rng.randint(150000, 600000), "transfer_domestic", "outbound",
              "房东")]
    for _ in range(rng.randint(0, 8)):
        txs.append(tx(when(rng.randint(1, 10), rng.randint(8, 22), rng.randint(0, 59)),
                      rng.randint(1000, 300000), "card", "outbound", rng.choice(SHOPS)))
    if rng.random() < 0.3:
        txs.append(tx(when(rng.randint(1, 10), rng.randint(9, 17)), rng.randint(20000, 500000), "cash",
                      "outbound", "ATM 取款"))
    return txs


def ordinary_entity(rng):
    """Receipts on days 1-4, payments on days 6-10: no 24 h window holds both."""
    txs = []
    for _ in range(rng.randint(1, 4)):
        txs.append(tx(when(rng.randint(1, 4), rng.randint(9, 17)), rng.randint(1000000, 9000000),
                      "transfer_domestic", "inbound", f"{rng.choice(CITIES)}某{rng.choice(COMPANIES)}有限公司"))
    for _ in range(rng.randint(1, 4)):
        txs.append(tx(when(rng.randint(6, 10), rng.randint(9, 17)), rng.randint(1000000, 30000000),
                      "transfer_domestic", "outbound", f"{rng.choice(CITIES)}某{rng.choice(COMPANIES)}有限公司"))
    return txs


def near_threshold(rng):
    return rng.randint(4500000, 4999999)


# Planted patterns: (name, flagged?, for entities?, function of (rng, day) -> transactions or a name).
def structuring(rng, d):
    return [tx(when(d, 9, 10), near_threshold(rng), "cash", "inbound", "柜台存款 城东支行"),
            tx(when(d, 14, 20), near_threshold(rng), "cash", "inbound", "柜台存款 城西支行"),
            tx(when(d + 1, 8, 5), near_threshold(rng), "cash", "inbound", "ATM 存款")]


def structuring_spread(rng, d):
    # 24 h 1 min apart, one a day: no 24 h window holds three, and no day reaches 50,000.
    return [tx(when(d, 10, 0), near_threshold(rng), "cash", "inbound", "柜台存款"),
            tx(when(d + 1, 10, 1), near_threshold(rng), "cash", "inbound", "柜台存款"),
            tx(when(d + 2, 10, 2), near_threshold(rng), "cash", "inbound", "柜台存款")]


def cash_exactly_50000(rng, d):
    return [tx(when(d, 10), 3000000, "cash", "inbound", "柜台存款"),
            tx(when(d, 16), 2000000, "cash", "inbound", "ATM 存款")]


def cash_just_under(rng, d):
    return [tx(when(d, 11), 4999999, "cash", "inbound", "柜台存款"),
            tx(when(d, 15), 3000000, "cash", "outbound", "柜台取款")]


def cash_across_midnight(rng, d):
    # 30,000 at 23:30 and 25,000 at 00:30 Beijing time, written in UTC: two Beijing days.
    return [tx(when(d, 23, 30), 3000000, "cash", "inbound", "ATM 存款", utc=True),
            tx(when(d + 1, 0, 30), 2500000, "cash", "inbound", "ATM 存款", utc=True)]


def rapid_exactly_90(rng, d):
    return [tx(when(d, 9, 30), 10000000, "transfer_domestic", "inbound", "深圳某商贸有限公司"),
            tx(when(d, 15, 45), 9000000, "transfer_domestic", "outbound", "钱某")]


def rapid_under_90(rng, d):
    return [tx(when(d, 9, 30), 10000000, "transfer_domestic", "inbound", "深圳某商贸有限公司"),
            tx(when(d, 15, 45), 8999999, "transfer_domestic", "outbound", "钱某")]


def rapid_under_100000(rng, d):
    return [tx(when(d, 9, 30), 9999999, "transfer_domestic", "inbound", "深圳某商贸有限公司"),
            tx(when(d, 15, 45), 9999999, "transfer_domestic", "outbound", "钱某")]


def domestic_500000(rng, d):
    return [tx(when(d, 9), 30000000, "transfer_domestic", "inbound", "某某 购房款"),
            tx(when(d, 16), 20000000, "transfer_domestic", "inbound", "某某 购房款")]


def domestic_just_under(rng, d):
    return [tx(when(d, 9), 30000000, "transfer_domestic", "inbound", "某某 购房款"),
            tx(when(d, 16), 19999999, "transfer_domestic", "inbound", "某某 购房款")]


def cross_border_200000(rng, d):
    return [tx(when(d, 10), 20000000, "transfer_cross_border", "outbound", "香港某留学服务公司 学费")]


def cross_border_just_under(rng, d):
    return [tx(when(d, 10), 19999999, "transfer_cross_border", "outbound", "香港某留学服务公司 学费")]


def entity_2000000(rng, d):
    return [tx(when(d, 10), 150000000, "transfer_domestic", "outbound", "江苏某钢材有限公司"),
            tx(when(d, 15), 50000000, "transfer_cross_border", "outbound", "某海外供应商")]


def entity_just_under(rng, d):
    return [tx(when(d, 10), 150000000, "transfer_domestic", "outbound", "江苏某钢材有限公司"),
            tx(when(d, 15), 49999999, "transfer_cross_border", "outbound", "某海外供应商")]


def listed_counterparty(rng, d):
    return [tx(when(d, 9), rng.randint(500000, 3000000), "transfer_cross_border", "outbound",
               rng.choice(["Phantom Harbor Trading Co.", "SPECTRE HOLDINGS LTD."]))]


def foreign_cash(rng, d):
    # Cash in USD: the CNY totals are unknown, so the customer goes to review (status "unknown").
    return [tx(when(d, 10), rng.randint(10000, 500000), "cash", "inbound", "柜台存款", currency="USD")]


NAMES_NEAR = ["Borris Badenoff", "Natascha Fatal", "Ernst Stavro Blofelt"]
NAMES_LISTED = ["FATALE, Natasha", "Badenov Boris", "Auric Goldfinger"]
NAMES_DISTANT = ["Doris Bradley", "Boris Becker", "Natalie Portman"]

PATTERNS = [
    ("structuring", True, False, structuring),
    ("structuring-spread", False, False, structuring_spread),
    ("cash-exactly-50000", True, False, cash_exactly_50000),
    ("cash-just-under", False, False, cash_just_under),
    ("cash-across-midnight", False, False, cash_across_midnight),
    ("rapid-exactly-90", True, False, rapid_exactly_90),
    ("rapid-under-90", False, False, rapid_under_90),
    ("rapid-under-100000", False, False, rapid_under_100000),
    ("domestic-500000", True, False, domestic_500000),
    ("domestic-just-under", False, False, domestic_just_under),
    ("cross-border-200000", True, False, cross_border_200000),
    ("cross-border-just-under", False, False, cross_border_just_under),
    ("entity-2000000", True, True, entity_2000000),
    ("entity-just-under", False, True, entity_just_under),
    ("listed-counterparty", True, False, listed_counterparty),
    ("foreign-cash", True, False, foreign_cash),
    ("name-near-listed", True, False, NAMES_NEAR),
    ("name-listed", True, False, NAMES_LISTED),
    ("name-distant", False, False, NAMES_DISTANT),
    ("no-transactions", False, False, None),
]


def customer(rng, number):
    """One customer: (record, pattern name or None, whether the pattern should be flagged)."""
    pattern = rng.choice(PATTERNS) if rng.random() < 1 / 3 else None
    is_entity = pattern[2] if pattern else rng.random() < 0.1
    record = {"id": f"G{number:06d}",
              "name": f"{rng.choice(CITIES)}{rng.choice(COMPANIES)}有限公司" if is_entity else person_name(rng),
              "type": "entity" if is_entity else "natural_person"}
    txs = ordinary_entity(rng) if is_entity else ordinary_person(rng)
    if pattern:
        name, flagged, _, plant = pattern
        if plant is None:
            txs = []
        elif isinstance(plant, list):
            record["name"] = rng.choice(plant)
        else:
            txs += plant(rng, rng.randint(12, 19))
    txs.sort(key=lambda t: datetime.fromisoformat(t["at"].replace("Z", "+00:00")))
    record["transactions"] = txs
    return record, pattern[0] if pattern else None, pattern[1] if pattern else False


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=3000, help="how many customers (default 3000)")
    parser.add_argument("--seed", type=int, default=17, help="random seed (default 17)")
    parser.add_argument("--output", help="JSON Lines file to write (default: standard output)")
    parser.add_argument("--labels", help="also write {pattern: {flagged, ids}} here as JSON")
    args = parser.parse_args()
    if args.customers < 1:
        parser.error("--customers must be at least 1")
    rng = random.Random(args.seed)
    labels = {}
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    with out:
        for number in range(1, args.customers + 1):
            record, pattern, flagged = customer(rng, number)
            out.write(json.dumps({"customer": record}, ensure_ascii=False) + "\n")
            if pattern:
                labels.setdefault(pattern, {"flagged": flagged, "ids": []})["ids"].append(record["id"])
    if args.labels:
        with open(args.labels, "w", encoding="utf-8") as f:
            json.dump(dict(sorted(labels.items())), f, ensure_ascii=False, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main()
