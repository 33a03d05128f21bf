# Debian packages, built with cpack from a build configured for /usr:
#
#   cmake -S . -B build-deb -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
#     -DCMAKE_INSTALL_PREFIX=/usr -DDCS_RELOCATABLE_PC=OFF -DDCS_BUILD_TESTS=OFF \
#     -DDCS_BUILD_EXAMPLES=OFF -DDCS_BUILD_EMULATOR=OFF
#   cmake --build build-deb && (cd build-deb && cpack -G DEB)
#
# (scripts/packaging.sh does exactly this.) One package per install component:
#
#   libdcs1       runtime  libdcs.so.1 and its versioned file; Depends computed by
#                          dpkg-shlibdeps: libc6, libcurl4, libssl3, libstdc++6, libgcc-s1
#   libdcs-dev    dev      dcs.h, libdcs.so, libdcs.a, libdcs.pc, libdcs-static.pc and the
#                          CMake package; Depends: libdcs1 (= this version) and the -dev
#                          packages that libdcs.pc and libdcsConfig.cmake look up
#                          (libcurl4-openssl-dev, libssl-dev, pkg-config)
#   libdcs-tools  tools    dcsctl (the core is linked in); Depends computed by dpkg-shlibdeps
#
# The version is the project's (from dcs.h), with Debian revision 1.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME libdcs)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
# Empty on purpose: CPack would put this line above each package's own synopsis (the first
# line of CPACK_DEBIAN_<COMPONENT>_DESCRIPTION below).
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "")
set(CPACK_PACKAGE_VENDOR "libdcs developers")
set(CPACK_PACKAGE_CONTACT "libdcs developers <dev@libdcs.invalid>")
set(CPACK_PACKAGE_HOMEPAGE_URL "${PROJECT_HOMEPAGE_URL}")
set(CPACK_PACKAGE_INSTALL_DIRECTORY libdcs)
set(CPACK_PACKAGING_INSTALL_PREFIX "${CMAKE_INSTALL_PREFIX}")
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_DIRECTORY "${PROJECT_BINARY_DIR}/packages")

set(CPACK_COMPONENTS_ALL runtime dev)
if(DCS_BUILD_CLI)
  list(APPEND CPACK_COMPONENTS_ALL tools)
endif()
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(_dcs_deb_version "${PROJECT_VERSION}-${CPACK_DEBIAN_PACKAGE_RELEASE}")

set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME libdcs${DCS_SOVERSION})
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION libs)
# The shlibs file that makes dpkg-shlibdeps of other packages depend on libdcs1.
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")
set(CPACK_DEBIAN_RUNTIME_DESCRIPTION "Huawei Cloud DCS restore client - shared library
libdcs restores Huawei Cloud Distributed Cache Service (managed Redis) instances from
their backups: it picks a backup, checks that the instance can take it, starts the
restore exactly once whatever the network does, and waits until it has finished.

This package holds the shared library libdcs.so.${DCS_SOVERSION} (stable C ABI).")
# Its Depends come from dpkg-shlibdeps (CPACK_DEBIAN_PACKAGE_SHLIBDEPS above), with the
# minimum versions of Debian's symbols files: libc6, libcurl4, libssl3, libstdc++6,
# libgcc-s1. scripts/packaging.sh checks that libcurl4 and libssl3 are among them.

set(CPACK_DEBIAN_DEV_PACKAGE_NAME libdcs-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS
  "libdcs${DCS_SOVERSION} (= ${_dcs_deb_version}), libcurl4-openssl-dev, libssl-dev (>= 3.0.0), pkgconf | pkg-config")
set(CPACK_DEBIAN_DEV_PACKAGE_RECOMMENDS "libstdc++-dev")
set(CPACK_DEBIAN_DEV_DESCRIPTION "Huawei Cloud DCS restore client - development files
libdcs restores Huawei Cloud Distributed Cache Service (managed Redis) instances from
their backups.

This package holds the header dcs/dcs.h, the static library libdcs.a, the pkg-config
files libdcs.pc and libdcs-static.pc and the CMake package (find_package(libdcs)).
Linking libdcs.a needs the C++ runtime (libstdc++-dev).")

set(CPACK_DEBIAN_TOOLS_PACKAGE_NAME libdcs-tools)
set(CPACK_DEBIAN_TOOLS_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_TOOLS_DESCRIPTION "Huawei Cloud DCS restore client - command-line tool dcsctl
dcsctl restores Huawei Cloud Distributed Cache Service (managed Redis) instances from
their backups, lists backups and restore records and shows instances, with live
progress, tables or JSON. libdcs's core is linked into it.")

include(CPack)
