"""The alias table: `flask import-aliases` (added / already there / conflicts, with a line
each), `--create-missing`, ambiguous names, and seed-demo loading the starter tables once."""

from __future__ import annotations

from sqlalchemy import func, select

from forum.domain.models import AmbiguousName, Tag, TagAlias, TagKind
from forum.domain.services import alias_table, tags
from forum.extensions import db
from tests.factories import make_tag

CSV = """generic,alias,kind,source
azathioprine,Imuran,brand,dner
azathioprine,Azasan,brand,curated
azathioprine,azathioprin,misspelling,curated
mercaptopurine,AZA,other,curated
azathioprine,Purinethol,brand,curated
tofacitinib,Xeljanz,brand,curated
azathioprine,,brand,curated
azathioprine,Imurel,sort-of,curated
"""


def write(tmp_path, text: str, name: str = "aliases.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_reports_added_skipped_and_conflicts_line_by_line(app, runner, tmp_path):
    with app.app_context():
        make_tag(name="azathioprine", aliases=["Imuran", "AZA"])
        make_tag(name="mercaptopurine", aliases=["Purinethol"])
    result = runner.invoke(args=["import-aliases", str(write(tmp_path, CSV))])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "added     Azasan → azathioprine (brand, curated)" in out
    assert "added     azathioprin → azathioprine (misspelling, curated)" in out
    assert "exists    Imuran → azathioprine" in out
    assert "CONFLICT  line 5: “AZA” → mercaptopurine: it already leads to azathioprine." in out
    assert (
        "CONFLICT  line 6: “Purinethol” → azathioprine: it already leads to mercaptopurine." in out
    )
    assert "no tag    line 7: “Xeljanz” → tofacitinib" in out
    assert "line 8" in out and "line 9" in out  # an empty alias and an unknown kind
    assert out.strip().endswith(
        "2 added, 1 skipped (already there), 4 conflicts, 1 skipped (no tag for the drug)."
    )
    with app.app_context():
        aza = tags.resolve_name("Azasan").tag
        assert aza.name == "azathioprine"
        assert {a.name: a.source for a in aza.aliases}["Azasan"] == "curated"
        assert tags.resolve_name("AZA").tag.name == "azathioprine"  # conflicts change nothing
    again = runner.invoke(args=["import-aliases", str(write(tmp_path, CSV))])
    assert again.output.strip().endswith(
        "0 added, 3 skipped (already there), 4 conflicts, 1 skipped (no tag for the drug)."
    )


def test_create_missing_adds_the_drug_then_its_names(app, runner, tmp_path):
    path = write(tmp_path, "generic,alias,kind,source\ntofacitinib,Xeljanz,brand,curated\n")
    result = runner.invoke(args=["import-aliases", str(path), "--create-missing"])
    assert result.exit_code == 0, result.output
    assert "created   tofacitinib (drug)" in result.output
    assert "1 added" in result.output and "1 drug tags created" in result.output
    with app.app_context():
        tag = tags.resolve_name("xeljanz").tag
        assert (tag.name, tag.kind) == ("tofacitinib", TagKind.DRUG)


def test_dry_run_saves_nothing_and_a_bad_header_is_refused(app, runner, tmp_path):
    with app.app_context():
        make_tag(name="azathioprine")
    result = runner.invoke(args=["import-aliases", str(write(tmp_path, CSV)), "--dry-run"])
    assert "Dry run, nothing saved: 4 added" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(TagAlias.id))) == 0
    bad = runner.invoke(args=["import-aliases", str(write(tmp_path, "drug,name\nx,y\n"))])
    assert bad.exit_code != 0
    assert "the first line must be generic,alias,kind,source" in bad.output


def test_the_starter_table_imports_cleanly(app, runner):
    with app.app_context():
        for name in ("azathioprine", "mesalamine", "cyclosporine"):
            make_tag(name=name)
    result = runner.invoke(args=["import-aliases", str(alias_table.STARTER_ALIASES)])
    assert result.exit_code == 0, result.output
    assert "CONFLICT" not in result.output
    with app.app_context():
        assert tags.resolve_name("Immuran").tag.name == "azathioprine"  # a misspelling
        assert tags.resolve_name("mesalazine").tag.name == "mesalamine"  # UK name
        assert tags.resolve_name("ciclosporin").tag.name == "cyclosporine"
        assert tags.resolve_name("5-ASA") is None  # ambiguous: never an alias


def test_import_ambiguous_names(app, runner, tmp_path):
    with app.app_context():
        make_tag(name="mercaptopurine")
        make_tag(name="methylprednisolone")
        make_tag(name="mesalamine")
    result = runner.invoke(args=["import-ambiguous-names", str(alias_table.STARTER_AMBIGUOUS)])
    assert result.exit_code == 0, result.output
    assert "added     MP → mercaptopurine, methylprednisolone" in result.output
    assert "added     5-ASA → mesalamine" in result.output
    assert "no tag    JAK inhibitor" in result.output
    with app.app_context():
        make_tag(name="sulfasalazine")
    again = runner.invoke(args=["import-ambiguous-names", str(alias_table.STARTER_AMBIGUOUS)])
    assert "added     5-ASA → also sulfasalazine" in again.output
    assert "exists    MP → mercaptopurine, methylprednisolone" in again.output
    with app.app_context():
        five_asa = db.session.scalar(select(AmbiguousName).where(AmbiguousName.name == "5-ASA"))
        assert [t.name for t in five_asa.candidates] == ["mesalamine", "sulfasalazine"]


def test_seed_demo_loads_the_starter_tables_once(app, runner):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "names from the starter alias table" in first.output
    with app.app_context():
        assert tags.resolve_name("Azamun").tag.name == "azathioprine"  # from the CSV
        assert tags.resolve_name("Stelera").tag.name == "ustekinumab"
        assert tags.resolve_name("sulfasalazine") is None  # not a demo drug: not created
        imported = db.session.scalar(select(func.count(TagAlias.id)).where(TagAlias.source != ""))
        assert imported > 150
        anti_tnf = db.session.scalar(select(AmbiguousName).where(AmbiguousName.name == "anti-TNF"))
        assert [t.name for t in anti_tnf.candidates] == ["adalimumab", "infliximab"]
        counts = (
            db.session.scalar(select(func.count(TagAlias.id))),
            db.session.scalar(select(func.count(AmbiguousName.id))),
            db.session.scalar(select(func.count(Tag.id))),
        )
    again = runner.invoke(args=["seed-demo"])
    assert "nothing to add" in again.output
    with app.app_context():
        assert counts == (
            db.session.scalar(select(func.count(TagAlias.id))),
            db.session.scalar(select(func.count(AmbiguousName.id))),
            db.session.scalar(select(func.count(Tag.id))),
        )
