"""Nearest comments and the neighbour vote that finishes a taxonomy match (cxtext.themes.taxonomy_neighbours)."""

from __future__ import annotations

import numpy as np
import pytest

from cxtext.errors import CxtextError
from cxtext.themes.taxonomy_match import TaxonomyMatcher
from cxtext.themes.taxonomy_neighbours import grow_by_votes, neighbours, vote_shares
from vectors import unit_blobs


def test_neighbours_put_each_row_first_and_sample_large_dumps():
    X, clusters, _ = unit_blobs()
    index = neighbours(X, 5)
    assert (index[:, 0] == np.arange(120)).all()
    assert (clusters[index] == clusters[:, None]).all()  # tight groups: the neighbours stay in the group
    sampled = neighbours(X, 5, max_reference=60)
    assert (sampled[:, 0] == np.arange(120)).all() and len(np.unique(sampled[:, 1:])) <= 60
    # within groups: a group of two has one neighbour, an ungrouped row none (-1 pads)
    groups = clusters.copy()
    groups[:2] = 7
    groups[2] = -1
    within = neighbours(X, 5, groups)
    assert within[0].tolist() == [0, 1, -1, -1, -1] and within[2].tolist() == [2, -1, -1, -1, -1]
    assert (groups[within[3:, 1:]] == groups[3:, None]).all()


def test_vote_shares_worked_example():
    labels = np.array([0, 0, 1, -1, -1])
    index = np.array([[1, 2, -1], [0, 3, 4], [0, 1, 3], [0, 1, 2], [3, -1, -1]])
    shares = vote_shares(labels, index, 2)
    # row 0: neighbours 1 (theme 0) and 2 (theme 1), padding not counted -> 1/2 each
    assert shares[0].tolist() == [0.5, 0.5]
    assert shares[1].tolist() == [pytest.approx(1 / 3), 0.0]
    assert shares[3].tolist() == [pytest.approx(2 / 3), pytest.approx(1 / 3)]
    assert shares[4].tolist() == [0.0, 0.0]


def test_a_group_mostly_matched_is_completed_and_a_lone_pull_in_leaves():
    X, groups, _ = unit_blobs()
    index = neighbours(X, 21)[:, 1:]
    labels = np.full(120, -1)
    labels[40:70] = 0  # 30 of group 1's 40 matched
    labels[5] = 0      # one comment of group 0 pulled in
    grown = grow_by_votes(labels, index, 1, share=0.6, rounds=1)
    assert (grown[groups == 1] == 0).all()   # the rest of group 1 joins: most of its 20 neighbours are members
    assert (grown[groups != 1] == -1).all()  # the pulled-in comment leaves, nothing else joins
    # share 0.9 is more than 30 of 39 others can give: the group stays as matched
    assert (grow_by_votes(labels, index, 1, share=0.9, rounds=1)[40:70] == 0).all()
    assert (grow_by_votes(labels, index, 1, share=0.9, rounds=1)[70:80] == -1).all()


def test_rounds_let_new_members_vote():
    X, groups, _ = unit_blobs(seed=3)
    index = neighbours(X, 21)[:, 1:]
    labels = np.full(120, -1)
    labels[40:62] = 0  # 22 of 40: most unmatched rows see fewer than 60% members at first
    counts = [int((grow_by_votes(labels, index, 1, share=0.6, rounds=r)[groups == 1] == 0).sum()) for r in (1, 2, 3)]
    assert counts == [23, 29, 40]  # each round's new members vote in the next
    assert (grow_by_votes(labels, index, 1, share=0.6, rounds=3)[groups != 1] == -1).all()


def test_the_matcher_votes_last_and_can_be_told_not_to():
    X, clusters, centres = unit_blobs()
    P = np.stack([centres[1], np.eye(16)[9]])
    strict = TaxonomyMatcher(vote_neighbours=0).fit(P)
    voted = TaxonomyMatcher().fit(P)
    no_vote, with_vote = strict.predict(X, clusters), voted.predict(X, clusters)
    m = voted.vote_neighbours
    expected = grow_by_votes(no_vote, neighbours(X, 1 + m)[:, 1:], 2, share=voted.vote_share, rounds=voted.vote_rounds)
    assert np.array_equal(with_vote, expected)
    assert (with_vote[clusters == 1] == 0).all() and (with_vote[clusters != 1] == -1).all()
    # a precomputed index gives the same answer
    again = TaxonomyMatcher().fit(P).predict(X, clusters, vote_index=neighbours(X, 25))
    assert np.array_equal(again, with_vote)


def test_vote_parameters_are_checked():
    with pytest.raises(CxtextError, match="vote_neighbours"):
        TaxonomyMatcher(vote_neighbours=-1).fit(np.ones((1, 3)))
    with pytest.raises(CxtextError, match="vote_rounds"):
        TaxonomyMatcher(vote_rounds=1.5).fit(np.ones((1, 3)))
    with pytest.raises(CxtextError, match="vote_share"):
        TaxonomyMatcher(vote_share=float("nan")).fit(np.ones((1, 3)))
    with pytest.raises(CxtextError, match="vote_index"):
        TaxonomyMatcher(n_neighbours=1).fit(np.ones((1, 3))).predict(np.eye(3), vote_index=np.zeros((3, 2)))


def test_a_small_theme_keeps_its_members_and_still_loses_a_lone_pull_in():
    # 6 comments matched: each can have at most 5 members among its 20 neighbours (25%), under the fixed
    # 30% (half of 60%) that emptied every theme under 7 members (bench/results/taxonomy_prune_trial.md)
    X, groups, _ = unit_blobs()
    index = neighbours(X, 21)[:, 1:]
    labels = np.full(120, -1)
    labels[40:46] = 0  # 6 of group 1's 40
    labels[5] = 0      # and one comment of group 0
    own = vote_shares(labels, index, 1)[:, 0]
    assert own[40:46].max() <= 5 / 20 < 0.3
    fixed = grow_by_votes(labels, index, 1, share=0.6, rounds=1, prune_by_size=False)
    assert (fixed == -1).all()
    by_size = grow_by_votes(labels, index, 1, share=0.6, rounds=1)
    # asked what 7 members allow: 30% x 6/20 = 9% of the neighbours, i.e. 2 of 20
    kept = (own >= 0.3 * 6 / 20) & (labels == 0)
    assert kept[40:46].sum() >= 4 and np.array_equal(by_size == 0, kept)
    assert by_size[5] == -1  # the comment among another group's still leaves
