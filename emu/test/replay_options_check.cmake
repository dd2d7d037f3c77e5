# The replay driver's repro options: --report full on a finding, and the
# usage errors of --report and --gdb (exit 2).
#   cmake -DREPLAY=<fwfuzz_emu_replay> -DSRC=<source tree> -DWORK=<dir>
#         -P replay_options_check.cmake
file(MAKE_DIRECTORY ${WORK})
string(ASCII 78 8 _input) # "N\b": c_inner reads NULL + 8 (tiny.c)
file(WRITE ${WORK}/null.bin "${_input}")
file(WRITE ${WORK}/clean.bin "ab")
set(ENV{FWFUZZ_EMU_IMAGE} emu/test/data/progs.elf)
set(ENV{FWFUZZ_EMU_BOARD} corpora/emu_board/seed/emu-test.json)
set(ENV{FWFUZZ_EMU_ENTRY} c_entry)

function(expect code)
  cmake_parse_arguments(A "" "" "ARGS;HAS;LACKS" ${ARGN})
  # From the source tree: DWARF names tiny.c relative to it.
  execute_process(COMMAND ${REPLAY} ${A_ARGS} WORKING_DIRECTORY ${SRC}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL code)
    message(FATAL_ERROR "replay ${A_ARGS}: exit ${rc}, expected ${code}\n${err}")
  endif()
  foreach(_s IN LISTS A_HAS)
    string(FIND "${err}" "${_s}" _at)
    if(_at LESS 0)
      message(FATAL_ERROR "replay ${A_ARGS}: lacks '${_s}':\n${err}")
    endif()
  endforeach()
  foreach(_s IN LISTS A_LACKS)
    string(FIND "${err}" "${_s}" _at)
    if(_at GREATER_EQUAL 0)
      message(FATAL_ERROR "replay ${A_ARGS}: has '${_s}':\n${err}")
    endif()
  endforeach()
endfunction()

# The default report: as before, plus the last blocks; no full sections.
expect(1 ARGS -q ${WORK}/null.bin
  HAS "==FWFUZZ-EMU== null-deref at c_inner emu/test/data/tiny.c:14\n"
      "call stack:\n  #0 0x08000168 in c_inner emu/test/data/tiny.c:14\n"
      "last blocks:\n  0x0800016c in c_entry+0x0 emu/test/data/tiny.c:19\n"
  LACKS "source:" "fault address")
expect(1 ARGS -q --report full ${WORK}/null.bin
  HAS "==FWFUZZ-EMU== null-deref at c_inner emu/test/data/tiny.c:14\n"
      "call stack:\n  #0 0x08000168 in c_inner emu/test/data/tiny.c:14\n"
      "source: emu/test/data/tiny.c:14 (frame #0, c_inner)\n"
      "  =>    14          return"
      "fault address 0x00000008 (READ of size 4):\n  in the NULL page")
expect(0 ARGS -q --report full ${WORK}/clean.bin HAS "ran without a finding")
expect(2 ARGS --report long ${WORK}/null.bin HAS "--report long: use short or full")
expect(2 ARGS --report HAS "--report needs a value")
expect(2 ARGS --gdb x ${WORK}/null.bin HAS "--gdb x is not a port number")
expect(2 ARGS --gdb 70000 ${WORK}/null.bin HAS "--gdb 70000 is not a port number")
expect(2 ARGS --gdb 0 ${WORK}/null.bin ${WORK}/clean.bin
  HAS "--gdb takes one input file, not 2")
expect(2 ARGS --gdb 0 --bench ${WORK}/null.bin
  HAS "--gdb and --bench do not go together")
