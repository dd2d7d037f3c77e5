# cmake -P, before the firmware images link (FwfuzzFirmware.cmake): fails
# when a global symbol is strongly defined more than once among the
# components (and the board code) that go into the images, naming every
# definition. -DNM=<arm-none-eabi-nm> -DLIST=<file: "component<TAB>path"
# per line, path an archive or an object file>.
file(STRINGS ${LIST} lines)
set(syms "")
foreach(line IN LISTS lines)
  if(NOT line MATCHES "^([^\t]+)\t(.+)$")
    continue()
  endif()
  set(comp ${CMAKE_MATCH_1})
  set(path ${CMAKE_MATCH_2})
  execute_process(COMMAND ${NM} -g --defined-only -P -A ${path}
                  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${NM} ${path} failed: ${err}")
  endif()
  string(REPLACE "\n" ";" out "${out}")
  foreach(l IN LISTS out)
    # "lib.a[member.o]: name T value size"; weak (W, V) and undefined
    # symbols may repeat, strong ones must not.
    if(NOT l MATCHES "^(.*): ([^ ]+) ([A-Za-z]) ")
      continue()
    endif()
    set(where ${CMAKE_MATCH_1})
    set(sym ${CMAKE_MATCH_2})
    if(CMAKE_MATCH_3 MATCHES "^[wWvVuU]$")
      continue()
    endif()
    get_filename_component(where "${where}" NAME)
    set(key "sym_${sym}")
    if(NOT DEFINED ${key})
      list(APPEND syms ${sym})
    endif()
    list(APPEND ${key} "component ${comp} (${where})")
  endforeach()
endforeach()

set(clashes "")
foreach(sym IN LISTS syms)
  list(LENGTH sym_${sym} n)
  if(n GREATER 1)
    list(JOIN sym_${sym} " and " defs)
    string(APPEND clashes "  ${sym}: defined by ${defs}\n")
  endif()
endforeach()
if(clashes)
  message(FATAL_ERROR "fwfuzz: global symbols defined more than once for the "
    "firmware image, which would link only one definition without a word:\n"
    "${clashes}Rename one, or make it static: every component's global "
    "names share the one image (docs/adding-a-target.md).")
endif()
