"""Pipelines: the YAML files load, are checked, and flags override them."""

from __future__ import annotations

import pytest

from cxtext.errors import ConfigError
from cxtext.pipeline import load_pipeline, pipelines_dir


def test_bundled_pipelines_load():
    survey = load_pipeline("survey_comments")
    social = load_pipeline("social_mentions")
    assert survey.name == "survey_comments" and social.name == "social_mentions"
    assert survey.params["normalize"]["all_social"] is False
    assert social.params["normalize"]["all_social"] is True
    assert survey.runs("drivers") and survey.runs("embed")


def test_load_by_path_is_the_same_as_by_name():
    assert load_pipeline(pipelines_dir() / "survey_comments.yaml") == load_pipeline("survey_comments")


def test_overrides_merge_and_none_means_keep():
    config = load_pipeline("survey_comments").with_overrides(
        {"seed": 7, "embed": {"model": "minilm", "batch_size": None}, "columns": {"text": "Why", "nps": None}})
    assert config.params["seed"] == 7
    assert config.params["embed"] == {"model": "minilm", "batch_size": 32, "backend": "auto"}
    assert config.params["columns"] == {"text": "Why"}


@pytest.mark.parametrize("overrides,message", [
    ({"ces_scale": "0-10"}, "ces_scale must be 'auto', '1-4', '1-5' or '1-7'"),
    ({"themes": {"min_theme_size": 1}}, "min_theme_size must be an int >= 2"),
    ({"embed": {"modell": "x"}}, "unknown parameter 'embed.modell'"),
    ({"speed": 3}, "unknown parameter 'speed'"),
    ({"export": {"formats": ["pdf"]}}, "unknown export format"),
    ({"themes": {"min_relative_coherence": 2}}, "themes.min_relative_coherence must be a number from 0 to 1"),
    ({"social": {"sentiment_model": "minilm"}}, "social.sentiment_model must be one of default, themes"),
    ({"themes": {"taxonomy_rule": "cosine"}}, "themes.taxonomy_rule must be one of auto, relative, cluster"),
])
def test_bad_parameters_are_named(overrides, message):
    with pytest.raises(ConfigError, match=message):
        load_pipeline("survey_comments").with_overrides(overrides)


def test_bad_files(tmp_path):
    with pytest.raises(ConfigError, match="Known pipelines: social_mentions, survey_comments"):
        load_pipeline("nope")
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nstages: [load, validate, normalize, fly]\n")
    with pytest.raises(ConfigError, match="unknown stage\\(s\\) \\['fly'\\]"):
        load_pipeline(bad)
    bad.write_text("name: x\nstages: [load, embed]\n")
    with pytest.raises(ConfigError, match="required"):
        load_pipeline(bad)


def test_a_pipeline_that_is_not_a_name_or_path_is_refused_with_the_known_names():
    with pytest.raises(ConfigError, match="pipeline must be a pipeline's name.*got int.*survey_comments"):
        load_pipeline(3)


def test_analyze_with_pipeline_none_takes_the_default_pipeline(tmp_path):
    import pandas as pd

    import cxtext

    frame = pd.DataFrame({"comment": ["The app crashes", "Billing is wrong"], "nps": [2, 9]})
    analysis = cxtext.analyze(frame, text="comment", nps="nps", pipeline=None, cache_path=tmp_path / "c.sqlite")
    assert analysis.summary["pipeline"] == "survey_comments"
