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

run: build
	$(UIBNAS) models
	$(UIBNAS) show mobilenetv4_conv_medium
	$(UIBNAS) run mobilenetv4_conv_medium --repeat 20
	$(UIBNAS) run tests/data/tiny/tiny_mnv4_hybrid.arch.json --weights tests/data/tiny/tiny_mnv4_hybrid.weights.safetensors \
	    --input tests/data/tiny/tiny_mnv4_hybrid.reference.safetensors --repeat 20
	$(UIBNAS) hwinfo
	$(UIBNAS) search --space searchspace/spaces/conv-s.json --table latency/tables/xeon-vm-2vcpu-t1.json --allow-missing \
	    --strategy nsga2 --objectives latency,naswot --budget 300 --population 30 --threads $(JOBS) --out $(BUILD_DIR)/search-demo --resume

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

# A relocatable tarball (binary + shared libraries, RPATH $$ORIGIN/../lib) for profiling other machines.
bundle: build
	latency/make_bundle.sh $(BUILD_DIR) dist

clean:
	rm -rf $(BUILD_DIR)
