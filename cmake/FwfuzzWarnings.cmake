# Warning flags from CONVENTIONS.md, applied to every target of this tree.
add_compile_options(-Wall -Wextra -Wpedantic -Wshadow -Wvla)
if(FWFUZZ_WERROR)
  add_compile_options(-Werror)
endif()
