# Acceptance of the security oracles (docs/oracles.md) on an outside
# component with one planted flaw per oracle, docs/examples/planted-oracles
# (devauth; copied to BIN, so that the cases triage stores stay there),
# built with its fixed twin in a tree of its own with the fuzzing image.
# Each target's seeds, one per flaw, are triaged as crashes are (`fwfuzz
# triage`: reproduced, signed, grouped, minimised, stored), natively and
# under emulation, and each group is traced back to its flaw by the path
# letter its stored input starts with. Expected:
#   planted_oracles, emu:      seven groups, one per flaw, each of the class
#                              of the flaw's oracle
#   planted_oracles, native:   the four flaws whose oracles work natively;
#                              the timing, lockout and double-fetch seeds
#                              run clean
#   planted_oracles_fixed:     no finding in either mode
# A table of what was found is printed in every case.
# -DSRC= -DBIN=
cmake_minimum_required(VERSION 3.25) # IN_LIST in if()
file(REMOVE_RECURSE ${BIN})
file(COPY ${SRC}/docs/examples/planted-oracles DESTINATION ${BIN}/src)
set(example ${BIN}/src/planted-oracles)
set(build ${BIN}/build)
set(fw ${build}/bin/fwfuzz)

# Each flaw: its seed (corpus/seed/<flaw>), the letter that selects its
# path, the class its oracle reports, and whether that oracle works natively.
set(flaws password-logged key-on-stack memcmp-tag default-account
    unsalted-hash lockout-after-check header-read-twice)
set(letter_password-logged P)
set(letter_key-on-stack K)
set(letter_memcmp-tag T)
set(letter_default-account D)
set(letter_unsalted-hash S)
set(letter_lockout-after-check L)
set(letter_header-read-twice H)
set(class_password-logged secret-in-output)
set(class_key-on-stack secret-in-memory)
set(class_memcmp-tag secret-timing)
set(class_default-account default-credentials)
set(class_unsalted-hash unsalted-credentials)
set(class_lockout-after-check lockout-power-cut)
set(class_header-read-twice double-fetch)
set(native_flaws password-logged key-on-stack default-account unsalted-hash)
# What a missing native finding needs of the runtime, where it is not plain.
set(hint_native_key-on-stack " (triage replays each input in a process of \
its own: the native stack check must search the stack of a process's first \
run that declares a secret)")

execute_process(COMMAND ${CMAKE_COMMAND} -S ${SRC} -B ${build}
                        -DCMAKE_C_COMPILER=clang -DFWFUZZ_ONLY=crypto
                        -DFWFUZZ_CROSS_CHECKS=OFF -DFWFUZZ_WITH_AFL=OFF
                        -DFWFUZZ_EXTRA_TARGET_DIRS=${example}
                OUTPUT_VARIABLE log ERROR_VARIABLE log RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "configure failed:\n${log}")
endif()
file(READ ${build}/fwfuzz-targets.json manifest)
string(JSON n LENGTH "${manifest}" targets)
math(EXPR last "${n} - 1")
set(emu "")
foreach(i RANGE ${last})
  string(JSON name GET "${manifest}" targets ${i} name)
  if(name STREQUAL "planted_oracles")
    string(JSON emu GET "${manifest}" targets ${i} emu)
  endif()
endforeach()
if(emu STREQUAL "" OR emu STREQUAL "null")
  message(FATAL_ERROR "planted_oracles has no emulated builds in this "
          "configuration (Unicorn or arm-none-eabi-gcc missing?)\n${log}")
endif()
set(targets planted_oracles planted_oracles_fixed)
set(builds fwfuzz)
foreach(t IN LISTS targets)
  list(APPEND builds ${t}_replay ${t}_emu_replay)
endforeach()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${build} --target ${builds}
                OUTPUT_VARIABLE log ERROR_VARIABLE log RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  string(REGEX MATCHALL "undefined reference to `fwfuzz_[a-z_]+'" missing
         "${log}")
  if(missing)
    list(REMOVE_DUPLICATES missing)
    string(REPLACE ";" "\n  " missing "${missing}")
    message(FATAL_ERROR "build failed: the oracle runtime of "
            "fwfuzz/oracle.h is missing (natively harness/oracle/, in the "
            "fuzzing image emu/firmware/fuzz-image/oracle.c):\n  ${missing}"
            "\n\n${log}")
  endif()
  message(FATAL_ERROR "build failed:\n${log}")
endif()

# Triages the seeds of target in mode, from an empty store and a fresh
# copy of the seeds (triage keeps a ledger beside the inputs). Sets
# found_<target>_<mode>_<flaw> to the classes of the groups traced to the
# flaw, clean_<target>_<mode>_<flaw> when its seed did not reproduce, and
# appends what went wrong to failed.
function(triage target mode expect_rc)
  set(seeds ${BIN}/seeds/${target}-${mode})
  set(json ${BIN}/triage-${target}-${mode}.json)
  file(REMOVE_RECURSE ${example}/corpus/regress ${seeds})
  file(COPY ${example}/corpus/seed/ DESTINATION ${seeds})
  execute_process(COMMAND ${fw} triage --target ${target} --mode ${mode}
                          --minimize-time 5 --out ${json} ${seeds}
                  WORKING_DIRECTORY ${BIN}
                  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
  message(STATUS "fwfuzz triage ${target} --mode ${mode}: exit ${rc}\n${out}")
  set(problems "")
  if(NOT rc EQUAL expect_rc)
    list(APPEND problems
         "${target} (${mode}): triage exit ${rc}, expected ${expect_rc}\n${err}")
  endif()
  if(NOT EXISTS ${json})
    list(APPEND problems "${target} (${mode}): triage wrote no ${json}")
    set(failed ${failed} ${problems} PARENT_SCOPE)
    return()
  endif()
  file(READ ${json} text)
  string(JSON n_err LENGTH "${text}" errors)
  if(n_err GREATER 0)
    string(JSON e GET "${text}" errors)
    list(APPEND problems "${target} (${mode}): triage errors: ${e}")
  endif()
  string(JSON n LENGTH "${text}" groups)
  if(n GREATER 0)
    math(EXPR last "${n} - 1")
    foreach(i RANGE ${last})
      string(JSON cls GET "${text}" groups ${i} class)
      string(JSON case GET "${text}" groups ${i} case)
      string(JSON where GET "${text}" groups ${i} function)
      string(REGEX REPLACE "[.]json$" ".bin" bin "${case}")
      set(flaw "")
      if(EXISTS ${bin})
        file(READ ${bin} first LIMIT 1 HEX)
        foreach(f IN LISTS flaws)
          string(HEX "${letter_${f}}" l)
          if(first STREQUAL l)
            set(flaw ${f})
          endif()
        endforeach()
      endif()
      if(NOT flaw)
        string(CONCAT p "${target} (${mode}): group ${cls} in '${where}' "
               "traced to no flaw (stored input ${bin})")
        list(APPEND problems "${p}")
        continue()
      endif()
      set(v found_${target}_${mode}_${flaw})
      set(${v} ${${v}} "${cls}")
      set(${v} ${${v}} PARENT_SCOPE)
      set(where_${target}_${mode}_${flaw} "${where}" PARENT_SCOPE)
    endforeach()
  endif()
  string(JSON n LENGTH "${text}" not_reproduced)
  if(n GREATER 0)
    math(EXPR last "${n} - 1")
    foreach(i RANGE ${last})
      string(JSON path GET "${text}" not_reproduced ${i})
      get_filename_component(name "${path}" NAME)
      set(clean_${target}_${mode}_${name} 1 PARENT_SCOPE)
    endforeach()
  endif()
  set(failed ${failed} ${problems} PARENT_SCOPE)
endfunction()

set(failed "")
triage(planted_oracles emu 10)
triage(planted_oracles native 10)
triage(planted_oracles_fixed emu 0)
triage(planted_oracles_fixed native 0)

# The table, then every difference from what is expected.
set(cols "planted_oracles|native" "planted_oracles|emu"
    "planted_oracles_fixed|native" "planted_oracles_fixed|emu")
function(pad out text width)
  string(LENGTH "${text}" n)
  while(n LESS width)
    string(APPEND text " ")
    math(EXPR n "${n} + 1")
  endwhile()
  set(${out} "${text}" PARENT_SCOPE)
endfunction()
pad(table "FLAW" 21)
foreach(h "FLAWED NATIVE" "FLAWED EMU" "FIXED NATIVE" "FIXED EMU")
  pad(h "${h}" 22)
  string(APPEND table "${h}")
endforeach()
string(APPEND table "\n")
foreach(flaw IN LISTS flaws)
  pad(row "${flaw}" 21)
  foreach(col IN LISTS cols)
    string(REPLACE "|" ";" tm "${col}")
    list(GET tm 0 t)
    list(GET tm 1 m)
    set(found "${found_${t}_${m}_${flaw}}")
    set(want "")
    if(t STREQUAL "planted_oracles" AND
       (m STREQUAL "emu" OR flaw IN_LIST native_flaws))
      set(want ${class_${flaw}})
    endif()
    if(found)
      string(REPLACE ";" "," cell "${found}")
    elseif(clean_${t}_${m}_${flaw})
      set(cell "-")
    else()
      set(cell "?")
    endif()
    pad(cell "${cell}" 22)
    string(APPEND row "${cell}")
    set(p "")
    if(want AND NOT found STREQUAL want)
      set(p "expected exactly one ${want} finding, got '${found}'")
      if(NOT found)
        string(APPEND p "${hint_${m}_${flaw}}")
      endif()
    elseif(NOT want AND found)
      set(p "expected no finding, got ${found} in ${where_${t}_${m}_${flaw}}")
    elseif(NOT want AND NOT clean_${t}_${m}_${flaw})
      set(p "its seed is neither a finding nor listed as not reproduced")
    endif()
    if(p)
      list(APPEND failed "${t} (${m}): ${flaw}: ${p}")
    endif()
  endforeach()
  string(APPEND table "${row}\n")
endforeach()
string(REGEX REPLACE " +\n" "\n" table "${table}")
message(STATUS "planted-oracles (class per flaw; - clean, ? unknown):\n${table}")
if(failed)
  string(REPLACE ";" "\n" failed "${failed}")
  message(FATAL_ERROR "${failed}")
endif()
