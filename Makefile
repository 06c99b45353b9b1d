# The two commands a new user runs on a fresh Debian 12 machine: `make run` and `make test`.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
DEB_PACKAGES := cmake g++ make libboost-graph-dev libboost-program-options-dev libtbb-dev \
                nlohmann-json3-dev libeigen3-dev catch2 python3 chromium
UIBNAS := $(BUILD_DIR)/cli/uibnas

.PHONY: run test build deps configure clean bundle

deps:
	@missing=""; for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" -ne 0 ] && SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

configure: deps
	@cmake -S . -B $(BUILD_DIR) -G "Unix Makefiles" -DCMAKE_BUILD_TYPE=Release >/dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

# The main job: measure this machine (or reuse the shipped table when it was measured on this kind
# of CPU), search conv-m around MobileNetV4-Conv-M's latency, rank the models with a published top-1
# (MNv4 and the baselines) with the ridge-point sweep, and write the HTML report. Re-running continues
# where a killed run stopped (--resume).
MAIN_JOB := $(BUILD_DIR)/main-job
HARDWARE ?= $(shell hostname -s 2>/dev/null || echo this-machine)

run: build
	@mkdir -p $(MAIN_JOB)
	$(UIBNAS) models
	$(UIBNAS) hwinfo
	$(UIBNAS) profile --hardware $(HARDWARE) --threads 1 --models all --resume \
	    --start-from latency/tables/xeon-vm-2vcpu-t1.json --out $(MAIN_JOB)/$(HARDWARE)-t1.json
	$(UIBNAS) search --rediscover conv_medium --space searchspace/spaces/conv-m.json --table $(MAIN_JOB)/$(HARDWARE)-t1.json \
	    --allow-missing --objectives latency,naswot --budget 300 --population 30 --threads $(JOBS) \
	    --out $(MAIN_JOB)/search-conv-m --resume
	$(UIBNAS) rank --table $(MAIN_JOB)/$(HARDWARE)-t1.json --rp-sweep 0:500 \
	    --json $(MAIN_JOB)/rank.json --csv $(MAIN_JOB)/rank.csv
	$(UIBNAS) report $(MAIN_JOB) -o $(MAIN_JOB)/report.html
	@echo "report: $(MAIN_JOB)/report.html"

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

# A relocatable tarball (binary + shared libraries, RPATH $$ORIGIN/../lib) for profiling other machines.
bundle: build
	latency/make_bundle.sh $(BUILD_DIR) dist

clean:
	rm -rf $(BUILD_DIR)
