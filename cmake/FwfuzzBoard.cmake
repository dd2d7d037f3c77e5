# The board of the firmware images: emu/boards/fwfuzz-m4.json is the one
# source of the memory map. The emulator reads it at run time; the image
# build reads it here at configure time and generates from it board.h's
# values (board_layout.h), the linker script's MEMORY (fwfuzz-m4.ld), the
# bootloader's slot layout and KASan's -fasan-shadow-offset, so the image
# and the emulator cannot disagree.
#
#   fwfuzz_board_read(<json file> <prefix>)
#       Sets <prefix>_<name> for each name of FWFUZZ_BOARD_VALUES (numbers,
#       hexadecimal), or stops with a message naming the file and what is
#       missing or wrong. The image build needs: regions of kind "flash",
#       "ram" and "mmio"; stack.top and stack.limit; kasan.shadow_offset;
#       and "_firmware": {boot_size, slot_header_size, slot_tlv_room} (a "_"
#       key, which the emulator leaves to its readers).

set(FWFUZZ_BOARD_FILE ${PROJECT_SOURCE_DIR}/emu/boards/fwfuzz-m4.json)
set(FWFUZZ_BOARD_VALUES FLASH_BASE FLASH_SIZE SRAM_BASE SRAM_SIZE PERIPH_BASE
    PERIPH_SIZE STACK_TOP STACK_LIMIT STACK_SIZE KASAN_SHADOW_OFFSET BOOT_SIZE
    SLOT_BASE SLOT_SIZE SLOT_HDR_SIZE SLOT_BODY_BASE SLOT_BODY_ROOM)

# A number as the emulator reads it: "4096", "0x1000", "4K", "1M", "2G"
# (binary multiples; "KB", "KiB" too), or a JSON number.
function(_fwfuzz_board_number out file what text)
  string(TOUPPER "${text}" t)
  if(NOT t MATCHES "^(0X[0-9A-F]+|[0-9]+)(([KMG])(I?B)?)?$")
    message(FATAL_ERROR "${file}: ${what} is \"${text}\", not a number "
                        "(4096, 0x1000, 4K, 1M)")
  endif()
  set(n ${CMAKE_MATCH_1})
  set(mult 1)
  if(CMAKE_MATCH_3 STREQUAL "K")
    set(mult 1024)
  elseif(CMAKE_MATCH_3 STREQUAL "M")
    set(mult 1048576)
  elseif(CMAKE_MATCH_3 STREQUAL "G")
    set(mult 1073741824)
  endif()
  string(REPLACE "0X" "0x" n "${n}")
  math(EXPR v "${n} * ${mult}" OUTPUT_FORMAT HEXADECIMAL)
  set(${out} ${v} PARENT_SCOPE)
endfunction()

# Member path... of json as a number into out, or a message naming it.
function(_fwfuzz_board_get out file json)
  string(JSON text ERROR_VARIABLE err GET "${json}" ${ARGN})
  list(JOIN ARGN "." what)
  if(err)
    message(FATAL_ERROR "${file}: no ${what}, which the firmware image "
                        "needs (cmake/FwfuzzBoard.cmake)")
  endif()
  _fwfuzz_board_number(v "${file}" ${what} "${text}")
  set(${out} ${v} PARENT_SCOPE)
endfunction()

function(fwfuzz_board_read file prefix)
  if(NOT EXISTS "${file}")
    message(FATAL_ERROR "board file ${file} not found")
  endif()
  file(READ "${file}" json)
  string(JSON n ERROR_VARIABLE err LENGTH "${json}" regions)
  if(err)
    message(FATAL_ERROR "${file}: no \"regions\" array: ${err}")
  endif()
  # The first region of each kind; board.h names them FLASH, SRAM, PERIPH.
  foreach(pair "flash;FLASH" "ram;SRAM" "mmio;PERIPH")
    list(GET pair 0 kind)
    list(GET pair 1 name)
    set(found -1)
    if(n GREATER 0)
      math(EXPR last "${n} - 1")
      foreach(i RANGE ${last})
        string(JSON k ERROR_VARIABLE err GET "${json}" regions ${i} kind)
        if(NOT err AND k STREQUAL kind AND found EQUAL -1)
          set(found ${i})
        endif()
      endforeach()
    endif()
    if(found EQUAL -1)
      message(FATAL_ERROR "${file}: no region of kind \"${kind}\", which "
                          "the firmware image needs (cmake/FwfuzzBoard.cmake)")
    endif()
    _fwfuzz_board_get(${name}_BASE ${file} "${json}" regions ${found} base)
    _fwfuzz_board_get(${name}_SIZE ${file} "${json}" regions ${found} size)
  endforeach()
  _fwfuzz_board_get(STACK_TOP ${file} "${json}" stack top)
  _fwfuzz_board_get(STACK_LIMIT ${file} "${json}" stack limit)
  _fwfuzz_board_get(KASAN_SHADOW_OFFSET ${file} "${json}" kasan shadow_offset)
  _fwfuzz_board_get(BOOT_SIZE ${file} "${json}" _firmware boot_size)
  _fwfuzz_board_get(SLOT_HDR_SIZE ${file} "${json}" _firmware slot_header_size)
  _fwfuzz_board_get(tlv_room ${file} "${json}" _firmware slot_tlv_room)

  # What the linker script and the bootloader take for granted.
  # Decimal for if(): a negative result in hexadecimal would not be.
  math(EXPR size "${STACK_TOP} - ${STACK_LIMIT}")
  math(EXPR below "${STACK_LIMIT} - ${SRAM_BASE}")
  math(EXPR above "${STACK_TOP} - ${SRAM_BASE} - ${SRAM_SIZE}")
  if(size LESS_EQUAL 0 OR below LESS 0 OR above GREATER 0)
    message(FATAL_ERROR "${file}: the stack (${STACK_LIMIT}..${STACK_TOP}) "
                        "must be a non-empty range inside the ram region")
  endif()
  math(EXPR STACK_SIZE "${size}" OUTPUT_FORMAT HEXADECIMAL)
  math(EXPR SLOT_BASE "${FLASH_BASE} + ${BOOT_SIZE}" OUTPUT_FORMAT HEXADECIMAL)
  math(EXPR SLOT_SIZE "${FLASH_SIZE} - ${BOOT_SIZE}" OUTPUT_FORMAT HEXADECIMAL)
  math(EXPR SLOT_BODY_BASE "${SLOT_BASE} + ${SLOT_HDR_SIZE}" OUTPUT_FORMAT HEXADECIMAL)
  math(EXPR room "${FLASH_SIZE} - ${BOOT_SIZE} - ${SLOT_HDR_SIZE} - ${tlv_room}")
  if(room LESS_EQUAL 0)
    message(FATAL_ERROR "${file}: _firmware.boot_size, slot_header_size and "
                        "slot_tlv_room leave no room in flash for the application")
  endif()
  math(EXPR SLOT_BODY_ROOM "${room}" OUTPUT_FORMAT HEXADECIMAL)
  math(EXPR misaligned "${SLOT_BODY_BASE} % 512")
  if(NOT misaligned EQUAL 0)
    message(FATAL_ERROR "${file}: the application's vector table "
                        "(${SLOT_BODY_BASE}, after _firmware.boot_size and "
                        "slot_header_size) must be 512-byte aligned for VTOR")
  endif()
  foreach(v IN LISTS FWFUZZ_BOARD_VALUES)
    set(${prefix}_${v} ${${v}} PARENT_SCOPE)
  endforeach()
endfunction()
