# The two commands a new user runs on a fresh Debian 12 machine: `make run` and `make test`.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
DEB_PACKAGES := cmake g++ make libboost-graph-dev libboost-program-options-dev libtbb-dev \
                nlohmann-json3-dev libeigen3-dev catch2 python3 chromium
UIBNAS := $(BUILD_DIR)/cli/uibnas

.PHONY: run test build deps configure clean bundle test-sanitize fuzz clang-deps \
        aarch64-deps build-aarch64 bundle-aarch64 test-aarch64

# Installs the Debian packages of $(1) that are missing.
define install_missing
	@missing=""; for p in $(1); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" -ne 0 ] && SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi
endef

deps:
	$(call install_missing,$(DEB_PACKAGES))

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

# The suite built with AddressSanitizer + UndefinedBehaviorSanitizer (Debug at -O1: the parity tests
# run real networks) in its own folder; any finding, leaks included, fails its test. Built with
# clang-15, which the fuzzers need anyway and which compiles the instrumented suite far faster than g++.
CLANG_PACKAGES := clang-15 libfuzzer-15-dev
clang-deps: deps
	$(call install_missing,$(CLANG_PACKAGES))

SANITIZE_DIR ?= build-sanitize
SANITIZER_ENV := ASAN_OPTIONS=halt_on_error=1:abort_on_error=1:detect_leaks=1:print_stacktrace=1:strict_string_checks=1 \
                 UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1
# SANITIZE_SUITES (e.g. "common runtime") builds and runs only those test suites: CI's subset.
SANITIZE_SUITES ?=
empty :=
space := $(empty) $(empty)
test-sanitize: clang-deps
	@cmake -S . -B $(SANITIZE_DIR) -G "Unix Makefiles" -DCMAKE_CXX_COMPILER=clang++-15 -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-g -O1" \
	    -DUIBNAS_SANITIZE=ON >/dev/null
	@cmake --build $(SANITIZE_DIR) -j $(JOBS) $(if $(SANITIZE_SUITES),--target $(addprefix test_,$(SANITIZE_SUITES)))
	cd $(SANITIZE_DIR) && $(SANITIZER_ENV) ctest --output-on-failure --no-tests=error -j $(JOBS) \
	    $(if $(SANITIZE_SUITES),-R '^($(subst $(space),|,$(strip $(SANITIZE_SUITES)))):') $(SANITIZE_CTEST_ARGS)

# libFuzzer targets of fuzz/ (clang-15; the main build stays g++), each run FUZZ_SECONDS; fails on any
# crash, leak, hang (10 s) or use of more than 2 GB, leaving the input in $(FUZZ_DIR)/findings/.
FUZZ_DIR ?= build-fuzz
FUZZ_SECONDS ?= 60
fuzz: clang-deps
	@cmake -S . -B $(FUZZ_DIR) -G "Unix Makefiles" -DCMAKE_CXX_COMPILER=clang++-15 -DCMAKE_BUILD_TYPE=Debug \
	    -DCMAKE_CXX_FLAGS_DEBUG="-g -O1" -DUIBNAS_FUZZ=ON -DUIBNAS_BUILD_TESTS=OFF >/dev/null
	@cmake --build $(FUZZ_DIR) -j $(JOBS) --target fuzz_targets
	fuzz/run_fuzzers.sh $(FUZZ_DIR) $(FUZZ_SECONDS)

# A relocatable tarball (binary + shared libraries, RPATH $$ORIGIN/../lib) for profiling other machines.
bundle: build
	latency/make_bundle.sh $(BUILD_DIR) dist

# The same for 64-bit ARM, cross-built with Debian's g++-aarch64-linux-gnu against the arm64
# multiarch -dev packages (cmake/aarch64-linux-gnu.cmake); glibc and its loader go into the bundle.
AARCH64_DIR ?= build-aarch64
AARCH64_PACKAGES := g++-aarch64-linux-gnu libboost-graph-dev:arm64 libboost-program-options-dev:arm64 \
                    libtbb-dev:arm64 qemu-user-static
aarch64-deps: deps
	@if ! dpkg --print-foreign-architectures | grep -qx arm64; then \
	  echo "adding the arm64 architecture to dpkg"; \
	  SUDO=""; [ "$$(id -u)" -ne 0 ] && SUDO=sudo; \
	  $$SUDO dpkg --add-architecture arm64 && $$SUDO apt-get update -qq; \
	fi
	$(call install_missing,$(AARCH64_PACKAGES))

build-aarch64: aarch64-deps
	@cmake -S . -B $(AARCH64_DIR) -G "Unix Makefiles" -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-linux-gnu.cmake \
	    -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(AARCH64_DIR) -j $(JOBS) --target uibnas test_runtime

bundle-aarch64: build-aarch64
	latency/make_bundle.sh $(AARCH64_DIR) dist aarch64

# The aarch64 build under qemu (tests/emulated/run_aarch64.sh): the kernel testers, the parity and
# scheduler tests, and the bundle alone. AARCH64_TESTS is the Catch2 test spec.
AARCH64_TESTS ?= [kernels],[gemm],[dwconv],[pooling],[attention],[elementwise],[parity],[scheduler]
test-aarch64: bundle-aarch64 build
	tests/emulated/run_aarch64.sh $(AARCH64_DIR) dist/uibnas-bundle-aarch64 $(UIBNAS) "$(AARCH64_TESTS)"

clean:
	rm -rf $(BUILD_DIR) $(SANITIZE_DIR) $(FUZZ_DIR) $(AARCH64_DIR) dist
