"""Every shipped screening rule against texts that should and should not match it."""

from __future__ import annotations

import pytest

from forum.domain.models import RuleAction, RuleCategory, RuleMatcher
from forum.domain.services.screening import (
    HOLD,
    HOLD_URGENT,
    PUBLISH,
    RuleSpec,
    default_rule_rows,
    links,
    screen,
)

RULES = {
    row["code"]: RuleSpec(
        code=row["code"],
        category=RuleCategory(row["category"]),
        matcher=RuleMatcher(row["matcher"]),
        pattern=row.get("pattern", ""),
        exceptions=row.get("exceptions", ""),
        action=RuleAction(row["action"]),
        new_members_only=row.get("new_members_only", False),
        reason=row["reason"],
        message=row["message"],
    )
    for row in default_rule_rows()
}

EXAMPLES = {
    "spam.no_prescription": (
        [
            "Buy azathioprine online, no prescription needed!",
            "Get Humira without a prescription, fast delivery",
            "methotrexate without rx, discreet shipping",
            "No RX required, order today",
            "you don't need a script from us",
            "Prescription-free CellCept available",
        ],
        [
            "My prescription ran out and the pharmacy was closed.",
            "I picked up my prescription on Tuesday.",
            "Ask the pharmacist which over-the-counter painkillers are safe without a"
            " prescription.",
            "I had no idea prescriptions took this long.",
        ],
    ),
    "spam.price_per_pill": (
        [
            "Only $2.50 per pill!",
            "Tramadol 0.99 USD/tablet",
            "£1 a tablet, bulk discounts",
            "3 dollars per capsule",
        ],
        [
            "My copay went from $10 to $45 a month.",
            "It costs about £9.65 per prescription item in England.",
            "I take 2 pills a day",
            "Humira is $7,000 a month before insurance",
        ],
    ),
    "spam.order_by_contact": (
        [
            "Order now, WhatsApp me for prices",
            "Fast shipping worldwide, contact me on Telegram",
            "WhatsApp: +44 7700 900123 for orders",
            "buy Imuran cheap, text me",
            "Telegram @medsupplier24",
        ],
        [
            "I ordered a pill organiser online.",
            "My nurse said to text her if the rash spread.",
            "The pharmacy delivery was late again; I called them twice.",
            "Our support group has a WhatsApp chat.",
        ],
    ),
    "spam.pharmacy_link": (
        [
            "Cheapest price at https://best-online-pharmacy.net/imuran",
            "see www.cheapmeds.ru",
            "go to canadianpharmacy24.com",
            "rxdiscount.biz has it",
            "buymethotrexate.shop ships fast",
        ],
        [
            "The FDA page https://www.fda.gov/drugs/drug-safety explains it.",
            "MedlinePlus (https://medlineplus.gov/druginfo/meds/a682167.html) was useful.",
            "The NHS page https://www.nhs.uk/medicines/azathioprine/ is clear",
            "The Royal Pharmaceutical Society at https://www.rpharms.com has leaflets",
            "I read https://www.crohnscolitisfoundation.org/ regularly",
        ],
    ),
    "pii.email": (
        ["email me at jane.doe@example.com", "my address is sam+cohort@mail.co.uk"],
        [
            "I emailed my consultant's secretary",
            "@quietriver thanks for this",
            "the clinic email is on their site",
        ],
    ),
    "pii.phone": (
        [
            "Call me on 07700 900123",
            "text me at 555-0147",
            "my number is +1 415 555 2671",
            "ring 0113 496 0000 if you want to chat",
            "whatsapp 0771 234 567 (missed a digit, still a number)",
            "My cell: 212 555 01 99",
        ],
        [
            "I take 200 mg twice daily",
            "bloods on 12/03 and again 14/05",
            "from 2019-2021 I was on it",
            "My white count was 3.2 and neutrophils 1.8",
            "I was diagnosed in 1998 at 23",
            "It took 12 weeks to work",
            "150mg for 3 years, 100mg since",
        ],
    ),
    "pii.address": (
        [
            "I live at 42 Wallaby Way if anyone's local",
            "come to 221B Baker Street",
            "Flat 3, near the hospital",
            "my postcode is LS1 4AP",
            "Apt 12 on the third floor",
        ],
        [
            "I take 2 tablets a day",
            "after 3 months on it",
            "the 5 main side effects",
            "we walked 10 miles on Sunday",
        ],
    ),
    "pii.date_of_birth": (
        [
            "I was born on 12/03/1985",
            "DOB: 4 July 1990",
            "date of birth 03-11-72",
            "my birthday is March 3rd, 1961",
        ],
        [
            "I was born with a kidney problem",
            "It's my birthday next week",
            "started 12/03/2024",
            "diagnosed in March 1999",
        ],
    ),
    "pii.record_number": (
        [
            "my NHS number is 943 476 5919",
            "MRN: 00123456",
            "insurance ID XJ12345678",
            "SSN 123-45-6789",
            "Medicare number 1EG4-TE5-MK73",
        ],
        [
            "my hospital number was on the letter",
            "I'm a member of the support group",
            "policy changes next year",
            "insurance denied it 3 times",
        ],
    ),
    "dosing.instruction": (
        [
            "You should stop taking azathioprine if you get a rash.",
            "you need to double your dose on bad days",
            "Take 200 mg and you'll feel better.",
            "Just take 2 tablets when it flares.",
            "Don't take your methotrexate this week.",
            "Stop taking your prednisone, it's poison.",
            "If I were you I'd stop it.",
            "Skip the dose if you feel sick.",
        ],
        [
            "I take 200 mg every morning.",
            "My doctor told me to take 150mg with food.",
            "I stopped taking it in March.",
            "My rheumatologist lowered my dose to 15 mg.",
            "Please ask your care team before you change anything.",
            "I skipped a dose once by mistake.",
            "We increased it slowly over six weeks.",
            "You should ask your pharmacist about timing.",
        ],
    ),
    "crisis.self_harm": (
        [
            "I don't want to live like this anymore.",
            "I've been thinking about killing myself.",
            "Some nights I want to die.",
            "I'm going to take all my pills tonight.",
            "everyone would be better off without me",
            "I feel suicidal since the dose change",
            "I keep hurting myself when it gets bad",
        ],
        [
            "The side effects are killing me, honestly.",
            "The leaflet lists suicidal thoughts as a rare side effect.",
            "I'm dying to know if anyone else had this.",
            "My dog died last week and I'm gutted.",
            "I was so tired I could have slept for a week.",
            "This flare nearly killed me in 2019.",
        ],
    ),
}


@pytest.mark.parametrize(
    ("code", "text"), [(code, t) for code, (hits, _) in EXAMPLES.items() for t in hits]
)
def test_rule_matches(code, text):
    result = screen(text, rules=[RULES[code]], new_member=True)
    assert result.codes == [code], text


@pytest.mark.parametrize(
    ("code", "text"), [(code, t) for code, (_, misses) in EXAMPLES.items() for t in misses]
)
def test_rule_does_not_match(code, text):
    result = screen(text, rules=[RULES[code]], new_member=True)
    assert result.codes == [], (text, result.findings)


def test_every_shipped_rule_has_examples():
    assert set(EXAMPLES) | {"spam.new_member_link"} == set(RULES)


def test_links_from_new_members_only():
    text = "Here's the article I mentioned: https://www.nhs.uk/conditions/crohns-disease/"
    rules = list(RULES.values())
    assert screen(text, rules=rules, new_member=False).action == PUBLISH
    held = screen(text, rules=rules, new_member=True)
    assert held.action == HOLD and held.codes == ["spam.new_member_link"]


def test_actions_combine_and_crisis_is_urgent():
    rules = list(RULES.values())
    assert screen("Lovely day, feeling better on Imuran.", rules=rules).action == PUBLISH
    spam = screen("No prescription needed, $1 per pill", rules=rules)
    assert spam.action == HOLD and set(spam.codes) == {
        "spam.no_prescription",
        "spam.price_per_pill",
    }
    crisis = screen("I don't want to live anymore. Call me on 07700 900123", rules=rules)
    assert crisis.action == HOLD_URGENT and crisis.urgent and crisis.crisis
    assert [f.rule.code for f in crisis.warnings] == ["pii.phone"]


def test_findings_show_what_was_found():
    result = screen("Call 07700 900123 or email me at jo@example.com", rules=list(RULES.values()))
    found = {f.rule.code: f.matched for f in result.findings}
    assert found["pii.phone"] == ("07700 900123",)
    assert found["pii.email"] == ("jo@example.com",)


def test_link_extraction():
    assert [
        host for _, host in links("see [this](https://www.fda.gov/x) and cheapmeds.ru/buy")
    ] == ["fda.gov", "cheapmeds.ru"]
    assert links("I take 2.5mg, e.g. in the morning") == []
