# Thin wrapper over the CMake presets; the README's two commands live here.
#   make run    install what is missing, build, run the main job
#   make test   install what is missing, build, run every test
PRESET ?= $(if $(CI),ci,default)
BUILD  := build
JOBS   ?= $(shell nproc 2>/dev/null || echo 2)
# Seconds each built-in target is fuzzed by `make run`.
RUN_TIME ?= 20

.PHONY: all deps configure build run test clean

all: build

deps:
	@sh scripts/install-deps.sh

configure: deps
	cmake --preset $(PRESET)

build: configure
	cmake --build --preset $(PRESET) -j $(JOBS)

run: build
	./$(BUILD)/bin/fwfuzz run --time $(RUN_TIME)

test: build
	ctest --preset $(PRESET) -j $(JOBS)

clean:
	rm -rf $(BUILD)
