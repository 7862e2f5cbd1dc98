# Telepro: a thin wrapper over Meson so that the README's commands work on a fresh machine.
#   make          build build/telepro
#   make run      install what is missing, build, create a demo database, show what to try
#   make check    install what is missing, build with ASan+UBSan and -Werror, run every test
#   make bench    benchmarks (bench/README.md)
#   make fuzz     run the libFuzzer harnesses for FUZZ_SECONDS each
BUILD ?= build
CHECK_BUILD ?= build-check
FUZZ_BUILD ?= build-fuzz
BENCH_BUILD ?= build-bench
FUZZ_SECONDS ?= 60
DEMO_DB ?= demo.db

.PHONY: all deps run check bench fuzz clean

all: $(BUILD)/build.ninja
	ninja -C $(BUILD)

deps:
	scripts/deps.sh build

$(BUILD)/build.ninja:
	scripts/deps.sh build
	meson setup $(BUILD) --buildtype=debugoptimized

run: all
	scripts/demo.sh $(BUILD)/telepro $(DEMO_DB)

check:
	scripts/deps.sh check
	scripts/check.sh $(CHECK_BUILD) $(FUZZ_BUILD)

bench:
	scripts/deps.sh bench
	test -f $(BENCH_BUILD)/build.ninja || meson setup $(BENCH_BUILD) --buildtype=release -Dtests=disabled
	ninja -C $(BENCH_BUILD)
	bench/run.sh $(BENCH_BUILD)
	bench/kpi.sh $(BENCH_BUILD)
	bench/pg.sh $(BENCH_BUILD)
	bench/web.sh $(BENCH_BUILD)
	bench/exports.sh $(BENCH_BUILD)
	bench/report.sh $(BENCH_BUILD)
	bench/webhooks.sh $(BENCH_BUILD)
	bench/dialer.sh $(BENCH_BUILD)

fuzz:
	scripts/deps.sh check
	test -f $(FUZZ_BUILD)/build.ninja || CC=clang CXX=clang++ meson setup $(FUZZ_BUILD) -Dfuzzing=true -Dtests=disabled -Db_lundef=false --buildtype=debugoptimized
	ninja -C $(FUZZ_BUILD)
	fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD) $(CHECK_BUILD) $(FUZZ_BUILD) $(BENCH_BUILD)
