"""Seeded synthetic CRM export with per-cell PII ground truth (benchmark corpus for crmsec.pii).

usage: python bench/pii/generate.py ROWS DATA.csv TRUTH.jsonl [--seed N]

DATA.csv has one header row (English field names) and ROWS rows. TRUTH.jsonl holds, per row, a JSON
object mapping each column to the list of categories present in that cell. Row locales: zh_CN 40 %,
en_US 30 %, en_GB 10 %, de_DE 10 %, fr_FR 10 %. Decoy columns hold look-alikes: order and purchase-order
numbers, Luhn-failing card-like tracking numbers, timestamps, recent dates, amounts, SKUs, UUIDs,
epoch seconds, pipeline stages and company names. Everything is synthetic (faker).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import uuid
from pathlib import Path

import phonenumbers
from faker import Faker

REGIONS = {"zh_CN": "CN", "en_US": "US", "en_GB": "GB", "de_DE": "DE", "fr_FR": "FR"}
WEIGHTS = [0.4, 0.3, 0.1, 0.1, 0.1]
STAGES = [
    "Prospecting",
    "Qualification",
    "Proposal",
    "Closed Won",
    "Closed Lost",
    "初步接洽",
    "需求确认",
    "赢单",
    "输单",
]
PRODUCTS = ["CRM", "ERP", "HRM", "BI"]
PII_COLUMNS = {
    "full_name": "person_name",
    "email": "email",
    "phone": "phone",
    "card_number": "payment_card",
    "iban": "iban",
    "ssn": "us_ssn",
    "cn_id": "cn_resident_id",
    "passport_no": "passport",
    "ip_address": "ip_address",
    "birth_date": "date_of_birth",
    "address": "street_address",
}
DECOY_COLUMNS = [
    "contact_id",
    "order_no",
    "po_number",
    "tracking_no",
    "created_at",
    "order_date",
    "product_code",
    "sku",
    "amount",
    "record_uuid",
    "epoch",
    "stage",
    "account_name",
]
COLUMNS = [*PII_COLUMNS, "notes", *DECOY_COLUMNS]
ZH_HEADERS = {
    "full_name": "客户姓名",
    "email": "电子邮箱",
    "phone": "手机号码",
    "card_number": "银行卡号",
    "iban": "IBAN",
    "ssn": "SSN",
    "cn_id": "身份证号码",
    "passport_no": "护照号码",
    "ip_address": "IP地址",
    "birth_date": "出生日期",
    "address": "联系地址",
    "notes": "备注",
    "contact_id": "客户编号",
    "order_no": "订单号",
    "po_number": "采购单号",
    "tracking_no": "物流单号",
    "created_at": "创建时间",
    "order_date": "下单日期",
    "product_code": "产品编码",
    "sku": "库存编码",
    "amount": "金额",
    "record_uuid": "唯一标识",
    "epoch": "时间戳",
    "stage": "销售阶段",
    "account_name": "客户名称",
}


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


class Generator:
    def __init__(self, seed: int) -> None:
        self.rnd = random.Random(seed)
        Faker.seed(seed)
        self.fakers = {locale: Faker(locale) for locale in REGIONS}

    def bad_card(self) -> str:
        while True:
            digits = self.rnd.choice(["4", "5", "62", "1", "9"]) + "".join(self.rnd.choices("0123456789", k=15))
            digits = digits[:16]
            if not luhn_ok(digits):
                return " ".join(digits[i : i + 4] for i in range(0, 16, 4)) if self.rnd.random() < 0.3 else digits

    def phone(self, locale: str) -> str:
        faker = self.fakers[locale]
        while True:
            text = faker.phone_number()
            try:
                if phonenumbers.is_valid_number(phonenumbers.parse(text, REGIONS[locale])):
                    break
            except phonenumbers.NumberParseException:
                continue
        if locale == "zh_CN":
            text = self.rnd.choice(
                [text, f"+86 {text[:3]} {text[3:7]} {text[7:]}", f"{text[:3]}-{text[3:7]}-{text[7:]}"]
            )
        return text

    def card(self) -> str:
        kind = self.rnd.choice(["visa16", "mastercard", "amex", "discover", "jcb16"])
        digits = self.fakers["en_US"].credit_card_number(kind)
        separator = self.rnd.choice(["", "", " ", "-"])
        return separator.join(digits[i : i + 4] for i in range(0, len(digits), 4)) if separator else digits

    def birth_date(self, locale: str) -> str:
        day = self.fakers[locale].date_of_birth(minimum_age=18, maximum_age=85)
        if locale == "zh_CN" and self.rnd.random() < 0.5:
            return f"{day.year}年{day.month}月{day.day}日"
        return day.strftime(self.rnd.choice(["%Y-%m-%d", "%m/%d/%Y", "%d.%m.%Y"]))

    def ip(self) -> str:
        faker = self.fakers["en_US"]
        return faker.ipv4_public() if self.rnd.random() < 0.8 else faker.ipv6()

    def note(self, locale: str, row: dict[str, str]) -> tuple[str, list[str]]:
        order = self.bad_card().replace(" ", "")
        if locale == "zh_CN":
            options = [
                (f"客户来电，手机{row['phone']}，请尽快回电。", ["phone"]),
                (f"身份证号{row['cn_id']}已核验，开户资料见附件。", ["cn_resident_id"]),
                (f"邮箱{row['email']}，寄送地址见合同。", ["email"]),
                (f"下季度跟进{row['product_code']}，预算{row['amount']}元，订单号{order}。", []),
                (f"登录IP {row['ip_address']} 异常，已通知安全团队。", ["ip_address"]),
                (
                    f"已签约，付款卡号{row['card_number']}，合同编号HT{self.rnd.randint(10**7, 10**8)}。",
                    ["payment_card"],
                ),
            ]
        else:
            options = [
                (f"Asked to send the quote to {row['email']}.", ["email"]),
                (f"Prefers a call on {row['phone']} after 5pm.", ["phone"]),
                (f"Paid with card {row['card_number']}, order ref {order}.", ["payment_card"]),
                (f"SSN on file: {row['ssn']}. Verify before renewal.", ["us_ssn"]),
                (f"Login from {row['ip_address']} flagged by SOC.", ["ip_address"]),
                (f"Follow up next quarter on {row['product_code']}, budget {row['amount']} USD.", []),
                (f"Wire transfer to {row['iban']} approved on {row['order_date']}.", ["iban"]),
            ]
        return self.rnd.choice(options)

    def row(self, index: int) -> tuple[dict[str, str], dict[str, list[str]]]:
        locale = self.rnd.choices(list(REGIONS), WEIGHTS)[0]
        faker, rnd = self.fakers[locale], self.rnd
        row = {
            "full_name": faker.name(),
            "email": faker.email(),
            "phone": self.phone(locale),
            "card_number": self.card(),
            "iban": self.fakers[rnd.choice(["de_DE", "en_GB", "fr_FR"])].iban(),
            "ssn": self.fakers["en_US"].ssn(),
            "cn_id": self.fakers["zh_CN"].ssn(),
            "passport_no": faker.passport_number(),
            "ip_address": self.ip(),
            "birth_date": self.birth_date(locale),
            "address": faker.address().replace("\n", ", "),
            "contact_id": f"C{index:07d}",
            "order_no": f"SO-{rnd.randint(2019, 2025)}-{rnd.randint(1, 999999):06d}",
            "po_number": f"45{rnd.randint(0, 99999999):08d}",
            "tracking_no": self.bad_card(),
            "created_at": faker.date_time_between("-3y").strftime(
                rnd.choice(["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%SZ"])
            ),
            "order_date": faker.date_between("-3y").isoformat(),
            "product_code": f"{rnd.choice(PRODUCTS)}-{rnd.randint(1000, 9999)}-{rnd.choice('ABCDEFGH')}",
            "sku": f"SKU{rnd.randint(10**8, 10**12)}",
            "amount": rnd.choice([f"{rnd.uniform(5, 250000):.2f}", f"{rnd.uniform(1000, 250000):,.2f}"]),
            "record_uuid": str(uuid.UUID(int=rnd.getrandbits(128), version=4)),
            "epoch": str(rnd.randint(1_500_000_000, 1_800_000_000)),
            "stage": rnd.choice(STAGES),
            "account_name": faker.company(),
        }
        row["notes"], note_truth = self.note(locale, row)
        truth = {column: [PII_COLUMNS[column]] if column in PII_COLUMNS else [] for column in COLUMNS}
        truth["notes"] = note_truth
        return {column: row[column] for column in COLUMNS}, truth


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", type=int)
    parser.add_argument("data", type=Path)
    parser.add_argument("truth", type=Path)
    parser.add_argument("--seed", type=int, default=20261123)
    arguments = parser.parse_args()
    generator = Generator(arguments.seed)
    with (
        arguments.data.open("w", newline="", encoding="utf-8") as data,
        arguments.truth.open("w", encoding="utf-8") as truth,
    ):
        writer = csv.writer(data)
        writer.writerow(COLUMNS)
        for index in range(arguments.rows):
            row, cells = generator.row(index)
            writer.writerow([row[column] for column in COLUMNS])
            truth.write(json.dumps(cells, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
