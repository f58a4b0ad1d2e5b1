# vakt_set_warnings(target): the project's warning set; errors unless VAKT_WERROR is OFF.
function(vakt_set_warnings target)
  if(MSVC)
    target_compile_options(${target} PRIVATE /W4 /permissive- $<$<BOOL:${VAKT_WERROR}>:/WX>)
  else()
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
      -Wold-style-cast -Wcast-align -Woverloaded-virtual -Wformat=2
      -Wimplicit-fallthrough $<$<BOOL:${VAKT_WERROR}>:-Werror>)
  endif()
endfunction()
