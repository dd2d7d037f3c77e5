# Thin wrapper over the CMake presets; the README's two commands live here.
#   make run    install what is missing, build, run the main job
#   make test   install what is missing, build, run every test
PRESET ?= $(if $(CI),ci,default)
BUILD  := build
JOBS   ?= $(shell nproc 2>/dev/null || echo 2)
# Seconds of fuzzing in `make run`'s campaign (triage, corpus merge and
# coverage come after; about five minutes in all on a 2-core machine).
RUN_BUDGET ?= 180

.PHONY: all deps configure build run test clean

all: build

deps:
	@sh scripts/install-deps.sh

configure: deps
	cmake --preset $(PRESET)

build: configure
	cmake --build --preset $(PRESET) -j $(JOBS)

# A new crash group (exit 10) is what a campaign is for, not a failure of
# make: the campaign's last lines say what was found and how to look at it.
# Nightly CI runs `fwfuzz run` itself and acts on the exit code.
run: build
	./$(BUILD)/bin/fwfuzz run --budget $(RUN_BUDGET) --coverage || [ $$? -eq 10 ]

test: build
	ctest --preset $(PRESET) -j $(JOBS)

clean:
	rm -rf $(BUILD)
