# cmake -P: a board file that lacks what the firmware image needs stops the
# configure with a message naming the file and what is wrong
# (cmake/FwfuzzBoard.cmake). -DSRC= -DBIN=
# With -DREAD=<file>: only reads that board file (the child run).
cmake_minimum_required(VERSION 3.25)
include(${CMAKE_CURRENT_LIST_DIR}/../FwfuzzBoard.cmake)
if(READ)
  fwfuzz_board_read(${READ} B)
  return()
endif()
file(REMOVE_RECURSE ${BIN})
file(READ ${SRC}/emu/boards/fwfuzz-m4.json good)

# Reads json as board file <name>.json; want: "" (must read) or what the
# refusal must say after the file name.
function(expect name json want)
  set(file ${BIN}/${name}.json)
  file(WRITE ${file} "${json}")
  execute_process(COMMAND ${CMAKE_COMMAND} -DREAD=${file}
                          -P ${CMAKE_CURRENT_FUNCTION_LIST_FILE}
                  OUTPUT_VARIABLE out ERROR_VARIABLE out RESULT_VARIABLE rc)
  string(REGEX REPLACE "[ \n]+" " " flat "${out}")
  if(want STREQUAL "")
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "${name}: does not read:\n${out}")
    endif()
  elseif(rc EQUAL 0 OR NOT flat MATCHES "${name}\\.json: ${want}")
    message(FATAL_ERROR "${name}: expected \"${want}\", got (${rc}):\n${out}")
  else()
    message(STATUS "${name}: refused: ${want}")
  endif()
endfunction()

expect(as-is "${good}" "")
string(JSON j REMOVE "${good}" kasan)
expect(no-kasan "${j}" "no kasan.shadow_offset")
string(JSON j REMOVE "${good}" _firmware)
expect(no-firmware "${j}" "no _firmware.boot_size")
string(JSON j REMOVE "${good}" stack limit)
expect(no-stack-limit "${j}" "no stack.limit")
string(JSON j REMOVE "${good}" regions 1)
expect(no-ram "${j}" "no region of kind \"ram\"")
string(JSON j SET "${good}" _firmware boot_size "\"1M\"")
expect(boot-fills-flash "${j}" "_firmware.boot_size, slot_header_size and slot_tlv_room leave no room")
string(JSON j SET "${good}" _firmware slot_header_size "\"0x100\"")
expect(misaligned-body "${j}" "the application's vector table")
