# Acceptance of whole-image fuzzing: the example image with a bug reached
# only through its UART (docs/examples/planted-uart), added with
# FWFUZZ_EXTRA_TARGET_DIRS and built by the firmware sub-build, is fuzzed
# from reset from its seeds (valid commands): `fwfuzz fuzz planted_uart`
# (default mode: emu, it has no native builds) must find the stack
# overflow of its "name" command within TIME seconds (the board's stack
# canary: stack-protector), and `fwfuzz triage` must make one case of it
# (stack-buffer-overflow WRITE, minimised), stored in a copy of the example
# (not the source tree), that reproduces.
# The case then replays bit-exactly 100 times (`fwfuzz boot --repeat`) and
# reproduces under gdb-multiarch (`fwfuzz repro --gdb`, skipped without
# gdb-multiarch).
# -DSRC= -DBIN= -DTIME= [-DGDB=]
file(REMOVE_RECURSE ${BIN})
file(COPY ${SRC}/docs/examples/planted-uart DESTINATION ${BIN}/src)
set(example ${BIN}/src/planted-uart)
execute_process(COMMAND ${CMAKE_COMMAND} -S ${SRC} -B ${BIN}/build
                        -DCMAKE_C_COMPILER=clang -DFWFUZZ_ONLY=none
                        -DFWFUZZ_CROSS_CHECKS=OFF -DFWFUZZ_WITH_AFL=OFF
                        -DFWFUZZ_EXTRA_TARGET_DIRS=${example}
                OUTPUT_VARIABLE log ERROR_VARIABLE log RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "configure failed:\n${log}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BIN}/build --target fwfuzz
                        planted_uart_emu_libfuzzer planted_uart_emu_replay
                        fwfuzz-boot
                OUTPUT_VARIABLE log ERROR_VARIABLE log RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "build failed:\n${log}")
endif()
if(NOT EXISTS ${BIN}/build/firmware/planted-uart.elf)
  message(FATAL_ERROR "the firmware sub-build did not make planted-uart.elf")
endif()
set(fw ${BIN}/build/bin/fwfuzz)

# The seeds are valid commands: they run clean.
execute_process(COMMAND ${BIN}/build/bin/planted_uart_emu_replay -q
                        ${example}/corpus/seed
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the seeds do not replay clean (exit ${rc}):\n${out}${err}")
endif()

execute_process(COMMAND ${fw} fuzz planted_uart --time ${TIME} --out ${BIN}/out
                OUTPUT_VARIABLE summary ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 10)
  message(FATAL_ERROR "expected exit 10 (findings), got ${rc}\n${err}")
endif()
string(JSON what GET "${summary}" findings 0 description)
string(JSON elapsed GET "${summary}" elapsed_s)
# the stack canary of the board (the image has no KASan), in the command
if(NOT what MATCHES "^==FWFUZZ-EMU== stack-protector at console_rename ")
  message(FATAL_ERROR "expected stack-protector at console_rename, got: ${what}")
endif()
message(STATUS "found after ${elapsed} s: ${what}")

execute_process(COMMAND ${fw} triage ${BIN}/out --out ${BIN}/triage.json
                        --minimize-time 20
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 10)
  message(FATAL_ERROR "triage: expected exit 10 (a new group), got ${rc}\n${out}${err}")
endif()
file(READ ${BIN}/triage.json json)
string(JSON n LENGTH "${json}" groups)
string(JSON cls GET "${json}" groups 0 class)
string(JSON id GET "${json}" groups 0 id)
string(JSON access GET "${json}" groups 0 access)
string(JSON fn GET "${json}" groups 0 function)
string(JSON size GET "${json}" groups 0 size)
# triage rates the canary as what it guards against
if(NOT n EQUAL 1 OR NOT cls STREQUAL "stack-buffer-overflow" OR
   NOT access STREQUAL "WRITE" OR NOT fn STREQUAL "console_rename")
  message(FATAL_ERROR "expected one stack-buffer-overflow WRITE group in "
                      "console_rename:\n${json}")
endif()
# the smallest input is "name ", 16 characters and "\r": 22 bytes
if(size GREATER 32)
  message(FATAL_ERROR "minimised to ${size} bytes, the bug needs 22")
endif()
set(case ${example}/corpus/regress/${id}.bin)
if(NOT EXISTS ${case} OR NOT EXISTS ${example}/corpus/regress/${id}.json)
  message(FATAL_ERROR "case ${id} not stored in ${example}/corpus/regress")
endif()
# The case is the bug: it reproduces under the emulated replay build.
execute_process(COMMAND ${fw} repro planted_uart ${case}
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 10 OR NOT "${out}${err}" MATCHES "stack-protector")
  message(FATAL_ERROR "repro of ${id}: exit ${rc}\n${out}${err}")
endif()
file(READ ${case} bytes HEX)
message(STATUS "triaged as ${id}: ${cls} ${access} in ${fn}, ${size} bytes: ${bytes}")

# Bit-exact: 100 runs of the case from the snapshot, the same verdict, PC,
# blocks and UART output each time (exit 10: the finding; 11: a run
# differed).
execute_process(COMMAND ${fw} boot ${BIN}/build/firmware/planted-uart.elf
                        --board ${SRC}/emu/boards/fwfuzz-m4-image.json
                        --input ${case} --repeat 100
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 10 OR NOT out MATCHES "100 runs: the same verdict")
  message(FATAL_ERROR "100 replays of ${id}: exit ${rc}\n${out}${err}")
endif()
message(STATUS "${id}: 100 runs from the snapshot, bit-exact")

# Under the debugger: a breakpoint in the function, then the finding.
if(GDB)
  execute_process(COMMAND sh ${SRC}/emu/test/gdb_repro_check.sh ${fw}
                          planted_uart ${case} ${BIN}/build/firmware/planted-uart.elf
                          console_rename ${BIN}/gdb ${GDB}
                  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "repro --gdb of ${id}:\n${out}${err}")
  endif()
  message(STATUS "${out}")
endif()
