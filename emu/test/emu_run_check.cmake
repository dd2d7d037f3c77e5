# Exit codes and output of emu-run (emu/tools/emu_run.c) on the test image.
#   cmake -DEMU_RUN=<emu-run> -DDATA=<emu/test/data> -DBOARD=<board.json>
#         -DWORK=<scratch dir> -P emu_run_check.cmake
file(MAKE_DIRECTORY ${WORK})
file(WRITE ${WORK}/abc "abc")
file(WRITE ${WORK}/empty "")
set(_board --board ${BOARD})
set(_elf ${DATA}/progs.elf)

function(expect code pattern)
  execute_process(COMMAND ${EMU_RUN} ${ARGN} RESULT_VARIABLE rc
                  OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL code)
    message(FATAL_ERROR "emu-run ${ARGN}: exit ${rc}, expected ${code}\n${out}${err}")
  endif()
  if(NOT "${out}${err}" MATCHES "${pattern}")
    message(FATAL_ERROR "emu-run ${ARGN}: output lacks '${pattern}':\n${out}${err}")
  endif()
endfunction()

# 0: clean runs (a file, a folder, no input at all).
expect(0 "abc: returned 0x126 after" ${_board} ${_elf} --entry sum_input ${WORK}/abc)
expect(0 "empty: returned 0x0" ${_board} ${_elf} --entry sum_input ${WORK})
expect(0 "\\(empty input\\): returned 0x0" ${_board} ${_elf} --entry sum_input)
# 1: a finding, with its report.
expect(1 "abc: input-overread at read_past emu/test/data/progs.s:32" ${_board} ${_elf} --entry read_past ${WORK}/abc)
expect(1 "hang at spin" ${_board} ${_elf} --entry spin --budget 100 ${WORK}/abc)
# A raw binary at --load-addr ("abc" is not code: it faults, but it loads).
expect(1 "abc: " ${_board} ${WORK}/abc --load-addr 0x08000000 --entry 0x08000001 ${WORK}/abc)
# A stripped image: entry by address.
expect(0 "abc: returned 0x126" ${_board} ${DATA}/progs-stripped.elf --entry 0x08000001 ${WORK}/abc)
# 2: usage.
expect(2 "usage" ${_elf} --entry sum_input)
expect(2 "unknown option" ${_board} ${_elf} --frobnicate)
expect(2 "--budget x is not a number" ${_board} ${_elf} --budget x)
# 3: bad board, image, entry.
expect(3 "board: .*nonexistent" --board ${WORK}/nonexistent.json ${_elf} --entry sum_input)
expect(3 "not valid JSON" --board ${_elf} ${_elf} --entry sum_input)
expect(3 "image: .*not an ELF file|is not an ELF file: give --load-addr" ${_board} ${WORK}/abc --entry sum_input)
expect(3 "--load-addr zz is not a 32-bit address" ${_board} ${WORK}/abc --load-addr zz --entry 0x08000001)
expect(3 "entry: entry \"nope\": no such symbol" ${_board} ${_elf} --entry nope)
expect(3 "no symbol table" ${_board} ${DATA}/progs-stripped.elf --entry sum_input)
expect(3 "no entry" ${_board} ${_elf})
# 4: an input that cannot be read.
expect(4 "nonexistent-input" ${_board} ${_elf} --entry sum_input ${WORK}/nonexistent-input)
