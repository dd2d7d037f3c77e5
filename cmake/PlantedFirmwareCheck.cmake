# Acceptance of the emulator: an outside component with five planted bugs
# (docs/examples/planted-firmware), added with FWFUZZ_EXTRA_TARGET_DIRS as
# docs/emulation.md says, is built in a tree of its own, cross-compiled into
# the fuzzing image, and `fwfuzz fuzz TARGET --mode emu` must find each bug
# within TIME seconds with the right verdict.
# -DSRC= -DBIN= -DTIME=
file(REMOVE_RECURSE ${BIN})
execute_process(COMMAND ${CMAKE_COMMAND} -S ${SRC} -B ${BIN}/build
                        -DCMAKE_C_COMPILER=clang -DFWFUZZ_ONLY=none
                        -DFWFUZZ_CROSS_CHECKS=OFF -DFWFUZZ_WITH_AFL=OFF
                        -DFWFUZZ_EXTRA_TARGET_DIRS=${SRC}/docs/examples/planted-firmware
                OUTPUT_QUIET RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "configure failed")
endif()
set(handlers checksum calibrate rename command records)
set(builds fwfuzz)
foreach(h IN LISTS handlers)
  list(APPEND builds sensor_${h}_emu_libfuzzer sensor_${h}_emu_replay)
endforeach()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BIN}/build --target ${builds}
                OUTPUT_VARIABLE log ERROR_VARIABLE log RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "build failed:\n${log}")
endif()

# handler -> the verdict its bug must get (emu_fault_name, or hang)
set(expect_checksum input-overread)
set(expect_calibrate global-buffer-overflow)
set(expect_rename stack-buffer-overflow)
set(expect_command null-deref)
set(expect_records hang)
set(failed "")
foreach(h IN LISTS handlers)
  set(out ${BIN}/out-${h})
  execute_process(COMMAND ${BIN}/build/bin/fwfuzz fuzz sensor_${h} --mode emu
                          --time ${TIME} --out ${out}
                  OUTPUT_VARIABLE summary ERROR_VARIABLE err RESULT_VARIABLE rc)
  if(NOT rc EQUAL 10)
    list(APPEND failed "sensor_${h}: expected exit 10 (findings), got ${rc}\n${err}")
    continue()
  endif()
  string(JSON what GET "${summary}" findings 0 description)
  string(JSON elapsed GET "${summary}" elapsed_s)
  string(REGEX REPLACE "([.][0-9][0-9])[0-9]+$" "\\1" elapsed "${elapsed}")
  # the verdict, and the handler as the site (not the KASan runtime)
  if(NOT what MATCHES "^==FWFUZZ-EMU== ${expect_${h}} at sensor_${h} ")
    list(APPEND failed "sensor_${h}: expected ${expect_${h}}, got: ${what}")
    continue()
  endif()
  message(STATUS "sensor_${h}: ${expect_${h}} found after ${elapsed} s: ${what}")
endforeach()
if(failed)
  string(REPLACE ";" "\n" failed "${failed}")
  message(FATAL_ERROR "${failed}")
endif()
