# Glimpse: extract -> cache -> train -> eval. Variables pass through to bin/glimpse.
SHELL := /bin/bash
GLIMPSE  := bin/glimpse
BACKBONE ?= fmnist-mae-vit
DATASET  ?= fashion-mnist
PROBE    ?= efficient
FMNIST_DIR := /usr/share/datasets/fashion-mnist
MVN      := mvn -B -ntp

backbone_arg = $(if $(findstring /,$(BACKBONE)),$(BACKBONE),conf/backbones/$(BACKBONE).yaml)
dataset_arg  = $(if $(findstring /,$(DATASET)),$(DATASET),conf/datasets/$(DATASET).yaml)
opt = $(if $($(1)),$(2) $($(1)),)
extract_opts = $(call opt,LIMIT,--limit) $(call opt,LAYERS,--layers) $(call opt,DTYPE,--dtype) $(call opt,VIEWS,--views)
train_opts = $(call opt,EPOCHS,--epochs) $(call opt,QUERIES,--queries) $(call opt,SEED,--seed) $(call opt,LIMIT,--limit) \
             $(call opt,LAYER,--layer) $(call opt,BLR,--blr) $(call opt,BATCH,--batch) $(call opt,OPTIMIZER,--optimizer) \
             $(call opt,WARMUP,--warmup) $(call opt,SHOTS,--shots) $(call opt,DTYPE,--dtype)

.PHONY: help data jar extract train eval knn demo test bench parity protocol-study study clean

help:
	@echo "make demo | test | extract | train PROBE=efficient | eval | bench | parity | protocol-study | study"

# Fashion-MNIST comes from Debian's dataset-fashion-mnist package.
data:
	@if [ ! -f $(FMNIST_DIR)/t10k-images-idx3-ubyte.gz ]; then \
	  echo "make: Fashion-MNIST missing, installing Debian package dataset-fashion-mnist"; \
	  (apt-get update -qq && apt-get install -y -qq dataset-fashion-mnist) >/dev/null || \
	  { echo "make: could not install dataset-fashion-mnist (need root: sudo apt-get install dataset-fashion-mnist)"; exit 1; }; \
	fi

jar:
	$(MVN) -q -DskipTests package

extract: data jar
	$(GLIMPSE) extract --backbone $(backbone_arg) --dataset $(dataset_arg) --split train --split test $(extract_opts)

train: data jar
	$(GLIMPSE) train --probe $(PROBE) --backbone $(backbone_arg) --dataset $(dataset_arg) $(train_opts)

# The report (reports/$(OUT) or reports/latest); --complementarity first adds the attention metrics of runs lacking them.
eval: jar
	$(GLIMPSE) eval --complementarity $(if $(OUT),--out $(OUT),)

knn: data jar
	$(GLIMPSE) knn --backbone $(backbone_arg) --dataset $(dataset_arg) $(call opt,LAYER,--layer)

# A representative set at DEMO_EPOCHS (30 = the reference recipe; fewer keeps the demo to minutes on 2 cores),
# the k-NN row, the EP attention maps, then the report in reports/demo.
# abmilp (docs/heads.md#flops: the costliest pooling after dinovit) is left out to keep the demo short; `make train PROBE=abmilp` adds it.
DEMO_PROBES ?= linear,linear-gap,efficient,simpool,aim,cae,jepa
DEMO_EPOCHS ?= 5
DEMO_WARMUP ?= 1
comma := ,
RUNS_DIR = $${GLIMPSE_RUNS:-runs}
demo: data jar
	$(MAKE) extract
	$(MAKE) train PROBE=$(DEMO_PROBES) EPOCHS=$(or $(EPOCHS),$(DEMO_EPOCHS)) WARMUP=$(or $(WARMUP),$(DEMO_WARMUP))
	$(MAKE) knn
	rm -rf reports/demo && mkdir -p reports/demo
	run=$$(ls -d $(RUNS_DIR)/*/ | grep -- '-efficient-' | grep -v 'efficient-all' | sort | tail -1); \
	  if [ -n "$$run" ]; then $(GLIMPSE) attention --run "$$run" --images 8 --out reports/demo/attention-efficient \
	    --backbone $(backbone_arg) --dataset $(dataset_arg); fi
	$(MAKE) eval OUT=reports/demo

# The quick tier: every module's tests (the full tier is behind `make parity` / `make bench`).
test: data
	@if command -v npm >/dev/null && [ ! -d cache/src/test/node/node_modules ]; then \
	  (cd cache/src/test/node && npm ci --no-audit --no-fund --silent) || echo "make: npm ci failed: the Arrow interop test will be skipped"; fi
	source conf/native.env && $(MVN) test

bench: data jar
	bench/run-all.sh

# Every probe of testdata/reference.json unless PROBE=a,b is given on the command line; needs jq.
parity: data jar
	@command -v jq >/dev/null || { echo "make: installing jq for bench/parity.sh"; apt-get install -y -qq jq >/dev/null; }
	bench/parity.sh $(if $(filter command line environment,$(origin PROBE)),$(PROBE),)

# cache vs K augmented views vs online, same probes (knobs: EPOCHS, LIMIT, VIEWS="2 4 8", PROBES; see the script)
protocol-study: data jar
	$(if $(EPOCHS),EPOCHS=$(EPOCHS)) $(if $(LIMIT),LIMIT=$(LIMIT)) $(if $(VIEWS),VIEWS="$(VIEWS)") \
	  $(if $(findstring $(comma),$(PROBE))$(filter-out efficient,$(PROBE)),PROBES=$(PROBE)) bench/protocol-study.sh

# The recipe study (CPU-hours: run it on an idle machine): LARS and AdamW grids for six probes, the winners at 100
# epochs, the protocol study, then bench/results/study.json and reports in $$STUDY/report; STEP=grid|final|protocol|report
# runs one step. Started again, it resumes. Knobs: see bench/study.sh.
study: data jar
	@command -v jq >/dev/null || { echo "make: installing jq for bench/study.sh"; apt-get install -y -qq jq >/dev/null; }
	bench/study.sh $(STEP)

clean:
	$(MVN) -q clean
