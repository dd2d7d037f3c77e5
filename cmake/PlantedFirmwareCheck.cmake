# Acceptance of the emulator: an outside component with five planted bugs
# (docs/examples/planted-firmware), added with FWFUZZ_EXTRA_TARGET_DIRS as
# docs/emulation.md says, is built in a tree of its own, cross-compiled into
# the fuzzing image, and `fwfuzz fuzz TARGET --mode emu` must find each bug
# within TIME seconds with the right verdict; four of them (all but the
# global overflow) also in the plain image, without KASan.
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

# handler -> the verdict its bug must get (emu_fault_name, or hang), in the
# KASan image (--mode emu's default) and in the plain image, where only the
# emulator's own checks see memory errors: the stack canary instead of the
# redzone, and nothing for a global's 1-byte overflow.
set(expect_kasan_checksum input-overread)
set(expect_kasan_calibrate global-buffer-overflow)
set(expect_kasan_rename stack-buffer-overflow)
set(expect_kasan_command null-deref)
set(expect_kasan_records hang)
set(expect_plain_checksum input-overread)
set(expect_plain_rename stack-protector)
set(expect_plain_command null-deref)
set(expect_plain_records hang)
set(failed "")
foreach(image kasan plain)
  foreach(h IN LISTS handlers)
    set(want "${expect_${image}_${h}}")
    if(NOT want)
      continue()
    endif()
    set(out ${BIN}/out-${image}-${h})
    execute_process(COMMAND ${BIN}/build/bin/fwfuzz fuzz sensor_${h} --mode emu
                            --emu-image ${image} --time ${TIME} --out ${out}
                    OUTPUT_VARIABLE summary ERROR_VARIABLE err
                    RESULT_VARIABLE rc)
    if(NOT rc EQUAL 10)
      list(APPEND failed
           "sensor_${h} (${image}): expected exit 10 (findings), got ${rc}\n${err}")
      continue()
    endif()
    string(JSON what GET "${summary}" findings 0 description)
    string(JSON elapsed GET "${summary}" elapsed_s)
    string(REGEX REPLACE "([.][0-9][0-9])[0-9]+$" "\\1" elapsed "${elapsed}")
    # the verdict, and the handler as the site (not the KASan runtime)
    if(NOT what MATCHES "^==FWFUZZ-EMU== ${want} at sensor_${h} ")
      list(APPEND failed "sensor_${h} (${image}): expected ${want}, got: ${what}")
      continue()
    endif()
    message(STATUS "sensor_${h} (${image}): ${want} found after ${elapsed} s: ${what}")
  endforeach()
endforeach()
if(failed)
  string(REPLACE ";" "\n" failed "${failed}")
  message(FATAL_ERROR "${failed}")
endif()
