# VAKT_SANITIZE=address,undefined builds everything with those sanitizers (CI runs the unit tests so).
if(VAKT_SANITIZE)
  add_compile_options(-fsanitize=${VAKT_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${VAKT_SANITIZE})
endif()
