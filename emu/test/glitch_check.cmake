# Runs `fwfuzz glitch` (fwfuzz-glitch) and checks its exit code, its
# output and its --json file.
#   -DGLITCH=<fwfuzz-glitch> -DIMAGE=<bootloader> -DBOARD=<board.json>
#   -DSLOT=<file> -DADDR=<slot address> -DWORK=<folder for outputs>
#   -DARGS=<more arguments, ;-list> -DEXPECT=<exit code>
#   -DMATCH=<regexes the output must match, ;-list>
#   -DBYPASSES=<the "bypasses" count the JSON must have>
#   -DTAMPER_FROM_END=<n: --tamper at the slot's size minus n>
#   -DFWSIGN=<fwsign> -DSIGN_ARGS=<;-list>: SLOT is first made by
#     `fwsign image -o SLOT SIGN_ARGS`
#   -DREPLAY_MATCH=<regexes>: then --fault replays the first finding and
#     its output must match these
file(MAKE_DIRECTORY ${WORK})
if(FWSIGN)
  execute_process(COMMAND ${FWSIGN} image -o ${SLOT} ${SIGN_ARGS}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "fwsign: ${rc}: ${out}${err}")
  endif()
endif()
set(args ${ARGS})
if(DEFINED TAMPER_FROM_END)
  file(SIZE ${SLOT} size)
  math(EXPR at "${size} - ${TAMPER_FROM_END}")
  list(APPEND args --tamper ${at})
endif()
set(json ${WORK}/glitch.json)
file(REMOVE ${json})
set(cmd ${GLITCH} ${IMAGE} --board ${BOARD} --extra ${SLOT}@${ADDR} ${args}
    --json ${json})
execute_process(COMMAND ${cmd} RESULT_VARIABLE rc OUTPUT_VARIABLE out
  ERROR_VARIABLE err)
message("${out}${err}")
if(NOT rc EQUAL EXPECT)
  message(FATAL_ERROR "fwfuzz glitch exited ${rc}, expected ${EXPECT}")
endif()
foreach(m IN LISTS MATCH)
  if(NOT out MATCHES "${m}")
    message(FATAL_ERROR "the output does not match \"${m}\"")
  endif()
endforeach()
file(READ ${json} doc)
string(JSON n GET "${doc}" bypasses)
string(JSON runs GET "${doc}" runs)
string(JSON cls ERROR_VARIABLE none GET "${doc}" findings 0 class)
if(NOT n EQUAL BYPASSES)
  message(FATAL_ERROR "${json}: ${n} bypasses, expected ${BYPASSES}")
endif()
if(runs EQUAL 0)
  message(FATAL_ERROR "${json}: no runs")
endif()
if(n GREATER 0 AND NOT cls STREQUAL "glitch-bypass")
  message(FATAL_ERROR "${json}: the finding's class is \"${cls}\"")
endif()
if(REPLAY_MATCH)
  string(JSON at GET "${doc}" findings 0 address)
  execute_process(COMMAND ${cmd} --fault ${at} RESULT_VARIABLE rc
    OUTPUT_VARIABLE out ERROR_VARIABLE err)
  message("--fault ${at}:\n${out}${err}")
  if(NOT rc EQUAL 10)
    message(FATAL_ERROR "--fault ${at} exited ${rc}, expected 10")
  endif()
  foreach(m IN LISTS REPLAY_MATCH)
    if(NOT out MATCHES "${m}")
      message(FATAL_ERROR "the replay does not match \"${m}\"")
    endif()
  endforeach()
endif()
