"""Quotas and exclusive lists hold through ``edit`` and ``category move`` as through
``add`` (issue 24, scope 5): a rename never puts one person on two exclusive lists of
an award, and a category never moves a list past a quota above it."""

from __future__ import annotations

import pytest


@pytest.fixture
def award(honours):
    honours("category", "add", "优秀教师")
    honours("category", "add", "一等奖", "--parent", "优秀教师", "--exclusive")
    honours("category", "add", "二等奖", "--parent", "优秀教师", "--exclusive")
    honours("add", "一等奖", "张三", "--affiliation", "一中")
    honours("add", "二等奖", "李四", "--affiliation", "一中")
    return honours


def test_a_rename_onto_another_exclusive_list_is_refused(award, db):
    before = db.read_bytes()
    refused = award("edit", "二等奖", "李四", "--name", "张三", ok=False)
    assert refused.exit_code == 2
    assert "张三 is already on 优秀教师/一等奖" in refused.output and "exclusive" in refused.output
    assert db.read_bytes() == before
    assert award("list", "二等奖", "-f", "text").output.split() == ["李四"]


def test_a_rename_is_refused_as_add_refuses_the_same_person(award):
    added = award("add", "二等奖", "张三", "--affiliation", "一中", ok=False)
    edited = award("edit", "二等奖", "李四", "--name", "张三", ok=False)
    reason = "a winner may be on only one exclusive list of the same award"
    assert reason in added.output and reason in edited.output


def test_another_affiliation_is_another_person_and_the_rename_goes_through(award):
    award("edit", "二等奖", "李四", "--affiliation", "二中")
    result = award("edit", "二等奖", "李四", "--name", "张三")
    assert "another affiliation" in result.output
    assert award("list", "二等奖", "-f", "text").output.split() == ["张三"]


def test_changing_the_affiliation_to_the_same_persons_is_refused(award):
    award("add", "二等奖", "张三", "--affiliation", "二中")
    refused = award("edit", "二等奖", "张三", "--affiliation", "一中", ok=False)
    assert refused.exit_code == 2 and "only one exclusive list" in refused.output


def test_a_rename_on_non_exclusive_lists_warns_as_add_does(honours):
    honours("category", "add", "甲")
    honours("category", "add", "乙")
    honours("add", "甲", "张三")
    honours("add", "乙", "李四")
    result = honours("edit", "乙", "李四", "--name", "张三")
    assert "张三 is also on 甲" in result.output


def test_a_rename_in_a_full_category_is_not_a_quota_problem(honours):
    honours("category", "add", "名单", "--quota", "1")
    honours("add", "名单", "张山")
    honours("edit", "名单", "张山", "--name", "张三")
    assert honours("list", "名单", "-f", "text").output.split() == ["张三"]


@pytest.fixture
def quotas(honours):
    honours("category", "add", "先进集体", "--quota", "3")
    honours("category", "add", "市级", "--parent", "先进集体")
    honours("add", "市级", "一中", "二中")
    honours("category", "add", "待定")
    honours("add", "待定", "三中", "四中")
    return honours


def test_a_category_move_past_a_quota_is_refused(quotas, db):
    before = db.read_bytes()
    refused = quotas("category", "move", "待定", "--parent", "先进集体", ok=False)
    assert refused.exit_code == 2 and "待定 was not moved" in refused.output
    assert "先进集体 has a quota of 3" in refused.output and "1 too many" in refused.output
    assert db.read_bytes() == before


def test_a_category_move_within_the_quota_goes_through(quotas):
    quotas("remove", "待定", "四中")
    quotas("category", "move", "待定", "--parent", "先进集体")
    assert "待定" in quotas("category", "list").output


def test_a_move_below_a_deeper_quota_counts_every_level(quotas):
    quotas("category", "edit", "先进集体", "--quota", "10")
    quotas("category", "add", "区级", "--parent", "先进集体/市级", "--quota", "1")
    refused = quotas("category", "move", "待定", "--parent", "先进集体/市级/区级", ok=False)
    assert "区级 has a quota of 1" in refused.output and "先进集体 has" not in refused.output


def test_moving_among_the_same_siblings_or_to_the_top_is_never_refused(quotas):
    quotas("category", "edit", "先进集体", "--quota", "1")  # now over its quota
    quotas("category", "move", "市级", "--position", "1")
    quotas("category", "move", "市级", "--top")
    assert "市级" in quotas("category", "list").output


def test_a_category_move_onto_another_exclusive_list_is_refused(award, db):
    award("category", "add", "三等奖", "--exclusive")
    award("add", "三等奖", "张三", "--affiliation", "一中")
    before = db.read_bytes()
    refused = award("category", "move", "三等奖", "--parent", "优秀教师", ok=False)
    assert refused.exit_code == 2 and "三等奖 was not moved" in refused.output
    assert "张三 is already on 优秀教师/一等奖" in refused.output
    assert db.read_bytes() == before


def test_a_category_move_of_a_plain_list_keeps_its_people(award):
    award("category", "add", "表扬")
    award("add", "表扬", "张三", "--affiliation", "一中")
    award("category", "move", "表扬", "--parent", "优秀教师")
    assert "表扬" in award("category", "list").output
