# The version of libdcs has one source: DCS_VERSION_MAJOR/MINOR/PATCH in
# capi/include/dcs/dcs.h (as libcurl's curlver.h is the source of libcurl's). This file
# reads them; it may be included before project().
#
#   dcs_read_version(<dcs.h> <out-var>)        sets <out-var> to "MAJOR.MINOR.PATCH"
#   dcs_check_python_version(<__init__.py> <version>)
#                                               fails unless dcs.__version__ is <version>

function(dcs_read_version header out_var)
  # One spelling of the path (no "..") for the configure dependency below: a project that
  # adds this tree as a subdirectory reads the same header, and ninja refuses two rules for it.
  get_filename_component(header "${header}" ABSOLUTE)
  file(STRINGS "${header}" _lines REGEX "^#define DCS_VERSION_(MAJOR|MINOR|PATCH) +[0-9]+ *$")
  foreach(_part MAJOR MINOR PATCH)
    set(_value "")
    foreach(_line IN LISTS _lines)
      if(_line MATCHES "^#define DCS_VERSION_${_part} +([0-9]+)")
        set(_value ${CMAKE_MATCH_1})
      endif()
    endforeach()
    if(_value STREQUAL "")
      message(FATAL_ERROR "${header}: no '#define DCS_VERSION_${_part} <number>' line")
    endif()
    list(APPEND _parts ${_value})
  endforeach()
  list(JOIN _parts "." _version)
  set(${out_var} ${_version} PARENT_SCOPE)
  # A changed version reconfigures.
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${header}")
endfunction()

# The Python package keeps a literal __version__ (importable from a source tree without a
# build); a build fails when it differs from dcs.h, so the copy cannot drift.
function(dcs_check_python_version init_py version)
  if(NOT EXISTS "${init_py}")
    return()
  endif()
  file(STRINGS "${init_py}" _line REGEX "^__version__ *= *")
  if(NOT _line MATCHES "^__version__ *= *[\"']([^\"']+)[\"']")
    message(FATAL_ERROR "${init_py}: no __version__ = \"...\" line")
  endif()
  if(NOT CMAKE_MATCH_1 STREQUAL version)
    message(FATAL_ERROR "${init_py} says __version__ = \"${CMAKE_MATCH_1}\" but "
                        "capi/include/dcs/dcs.h says ${version}: the header is the source of "
                        "the version, change __init__.py to match")
  endif()
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${init_py}")
endfunction()
