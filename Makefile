# bmssim: the two commands a user needs (README.md).
#   make run   install what is missing, build (release), run the default closed-loop simulation and plot it
#   make test  install what is missing and run the whole test suite, including the Embedded build
SWIFT ?= swift
OUT ?= out/simulate

.PHONY: all setup build run test test-accuracy test-nominal fuzz firmware regress year embedded bench-sim field-map cell-files firmware-presets duty-profiles clean

all: build

setup:
	tools/setup.sh

# tools/layout-guard.sh: see there (an incremental-build hole in SwiftPM).
build: setup
	tools/layout-guard.sh
	$(SWIFT) build -c release --product bmssim

run: build
	.build/release/bmssim simulate --out $(OUT)
	.build/release/bmssim plot $(OUT)

# Tests run optimised (with @testable imports enabled): the plant and closed-loop tests simulate
# hours to days, which takes minutes unoptimised and seconds optimised.
TEST_FLAGS = -c release -Xswiftc -enable-testing
# The tests tagged accuracyMatrix, by name (swift test filters by name).
ACCURACY_MATRIX = socWithinBoundsFor24Hours|socWithinBoundsOrCoveredByItsSigma
# The tests tagged long (ten seconds or more of the 2 cores each, or three seconds or more of one
# core that repeat what another test of make test covers), by name.
LONG_TESTS = criticalCurrentTestFindsALowerBound|theSigmaCoversTheErrorDownTheSlope|noResistanceIsFittedOnTheLoopsEcho|theControllingMasterNoticesNothing|aSlowLossyCorruptingLinkLatchesNothing|aLossyCorruptingSerialLineLatchesNothing|connectionsCutEveryTwoSecondsLatchNothing|aLinkReallyLostLatchesCommunicationLossAndTheControllerCarriesOn|everyOptionSurvivesHostileValues|everyNumberOfTheShippedScenarios|everyNumberOfTheFirmwareFiles|presetsAreTheCommittedCharacterisedFiles|idleSetbackSavesHeat|convergesWithinAnHour|aDischargeAfterSixHoursAtRestKeepsTheBounds|perturbedControlParameterIsCaught|bleedingNarrowsTheSpread|aPresetAsAFileRunsAsThePreset|regressShardWritesJUnitAndTable|plotsAFirmwareFile|resultsAgreeAcrossSubsteps|jouleHeatIsTheElectricalLoss|sweepSpecs

# One build: `swift test --skip-build` runs what `swift build --build-tests` made, and the shipped
# suite runs on the bmssim of that same build (a second build with other flags would compile
# everything again). The long accuracy matrix (tag `accuracyMatrix`: every duty cycle x
# chemistry x offset sign, and the unknown populations; about 3.5 min of the 2 cores), the tests
# tagged `long` and the week-long suite regress/long run in `make test-accuracy`, which CI runs
# after `make test`.
# The Embedded build (one single-threaded compile) runs beside the package build; the shipped
# suite and the fault catalogue run beside the tests at nice 19 (tools/test-runs.sh).
test: setup
	tools/layout-guard.sh
	@tools/embedded-build.sh > .build/embedded-build.log 2>&1 & embedded=$$!; \
	  $(SWIFT) build --build-tests $(TEST_FLAGS); built=$$?; \
	  wait $$embedded; checked=$$?; cat .build/embedded-build.log; \
	  [ $$built -eq 0 ] && [ $$checked -eq 0 ]
	SWIFT=$(SWIFT) tools/test-runs.sh '$(ACCURACY_MATRIX)|$(LONG_TESTS)' $(TEST_FLAGS)

# The accuracy matrix, the long tests and the long suite on the test build (incremental after
# `make test`).
test-accuracy: setup
	tools/layout-guard.sh
	$(SWIFT) build --build-tests $(TEST_FLAGS)
	$(SWIFT) test --skip-build $(TEST_FLAGS) --filter '$(ACCURACY_MATRIX)|$(LONG_TESTS)'
	.build/release/bmssim regress regress/long --out out/regress-long
	.build/release/bmssim regress regress/ageing --out out/regress-ageing

# 30 fault-free days per chemistry on the bmssim of the test build: exit 1 on any trip or
# warning (issue 13's requirement; about 8 to 15 min on 2 cores, so CI runs it after make test).
test-nominal: setup
	tools/layout-guard.sh
	$(SWIFT) build --build-tests $(TEST_FLAGS)
	tools/nominal-days.sh 30 out/nominal-days

# The in-process fuzz targets (Sources/FuzzTargets) under libFuzzer and AddressSanitizer for
# FUZZ_SECONDS, from the committed seeds (tools/fuzz.sh; its own build in .build-fuzz). The test
# suite replays the seeds and past failures without the fuzzer; CI runs this after it.
FUZZ_SECONDS ?= 120
fuzz: setup
	tools/fuzz.sh $(FUZZ_SECONDS)

# The shipped regression suite on its own (docs/regression.md).
regress: build
	.build/release/bmssim regress regress --out out/regress
	.build/release/bmssim regress regress/faults --out out/regress-faults
	.build/release/bmssim regress regress/long --out out/regress-long
	.build/release/bmssim regress regress/ageing --out out/regress-ageing

# A year of mixed duty per chemistry on ageing 8-cell strings (docs/core.md "A year"): 20 ... 55
# min a chemistry at the 100 ms control step, two at a time on 2 cores. Not in CI: it takes about
# 1.5 h, and sulfide's capacity SoH does not yet stay within its +-3 points (2026-12-06).
year: build
	.build/release/bmssim regress regress/year --out out/regress-year

embedded:
	tools/embedded-build.sh

# The firmware image for QEMU's mps2-an386 (Cortex-M4F): BMSCore with a board layer, built with
# the Swift toolchain's clang and lld; runs it under QEMU, prints flash, RAM, stack and
# instructions per step, and replays a short trace per chemistry recorded on this host, whose
# digests must equal the host's bit for bit (tools/firmware/build.sh, docs/core.md "The firmware image").
# bmssim records the replay traces; it is built with the test build's flags, so that after
# `make test` (as in CI) this build has nothing to do.
firmware:
	tools/setup.sh firmware
	tools/layout-guard.sh
	$(SWIFT) build $(TEST_FLAGS) --product bmssim
	tools/firmware/build.sh

# Regenerates the committed register-map docs (a test fails when it is stale).
field-map: build
	.build/release/bmssim hil-map > hil/field-device-map.md
	.build/release/bmssim hil-map --sunspec > hil/sunspec-map.md
	.build/release/bmssim hil-map --firmware > tools/firmware/FieldMap.swift

# The shipped duty cycles (profiles/duty) are samples of the duty-cycle generators (docs/profiles.md
# "Generators"), seed 2026; a test fails when a file is not its generator's draw
# (`ProfileTests.everyShippedDutyCycleIsItsGeneratorsDraw`). This target rewrites them.
DUTY_SEED = 2026
DUTY = profiles/duty
duty-profiles: build
	.build/release/bmssim duty frequency-regulation --seed $(DUTY_SEED) --out $(DUTY)/frequency-regulation-24h.csv --title "RegD-like frequency regulation, 24 h"
	.build/release/bmssim duty peak-shaving --seed $(DUTY_SEED) --out $(DUTY)/peak-shaving-24h.csv --title "peak shaving of a commercial site, recharge from 20:00"
	.build/release/bmssim duty pv-firming --seed $(DUTY_SEED) --out $(DUTY)/pv-firming-24h.csv --title "PV firming: ramp-rate limit and export cap of a 2 pu plant, evening release"
	.build/release/bmssim duty arbitrage --seed $(DUTY_SEED) --out $(DUTY)/daily-arbitrage-24h.csv --title "price-driven daily arbitrage"
	.build/release/bmssim duty standby --seed $(DUTY_SEED) --out $(DUTY)/standby-thermal-hold-24h.csv --title "standby with thermal hold: no power, the heaters keep the pack hot"
	.build/release/bmssim duty mix --seed $(DUTY_SEED) --days 7 --out $(DUTY)/multi-day-mix-7d.csv --title "a week of grid duty, each day's service drawn"

# Regenerates the presets' chemistry files (a test fails when one is stale).
cell-files: build
	for p in NaNiCl2 NaS NASICON sulfide polymer; do .build/release/bmssim cell-file --preset $$p > profiles/cells/chemistry/$$p.json; done

# Characterises every preset's sample cells (docs/characterisation.md) and regenerates the
# firmware's presets from the files: profiles/firmware/PRESET.json from the datasheet in
# profiles/firmware/datasheet/, then the Swift source BMSCore compiles (tests fail when stale).
PRESETS = NaNiCl2 NaS NASICON sulfide polymer
firmware-presets: build
	for p in $(PRESETS); do .build/release/bmssim characterise --preset $$p --out profiles/firmware/$$p.json > /dev/null || exit 1; done
	.build/release/bmssim firmware-file --swift-presets profiles/firmware > Sources/BMSCore/Configuration/FirmwareChemistry+Characterised.swift
	$(SWIFT) build -c release --product bmssim

clean:
	rm -rf .build out
