# Runs `fwfuzz boot` (fwfuzz-boot) and checks its exit code and output.
#   -DBOOT=<fwfuzz-boot> -DIMAGE=<file> -DBOARD=<board.json>
#   -DARGS=<more arguments, ;-list> -DEXPECT=<exit code>
#   -DMATCH=<regexes, ;-list> -DSKIP_IF_MISSING=<file: exit 77 without it>
if(SKIP_IF_MISSING AND NOT EXISTS "${SKIP_IF_MISSING}")
  message("${SKIP_IF_MISSING} is missing (install the Debian package "
          "firmware-microbit-micropython): skipped")
  cmake_language(EXIT 77)
endif()
execute_process(COMMAND ${BOOT} ${IMAGE} --board ${BOARD} ${ARGS}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}${err}")
if(NOT rc EQUAL EXPECT)
  message(FATAL_ERROR "fwfuzz boot exited ${rc}, expected ${EXPECT}")
endif()
foreach(m IN LISTS MATCH)
  if(NOT out MATCHES "${m}")
    message(FATAL_ERROR "the output does not match \"${m}\"")
  endif()
endforeach()
