// The compiled parts of Boost.Asio and Boost.Beast, built once here instead of in every file that includes
// them (BOOST_ASIO_SEPARATE_COMPILATION and BOOST_BEAST_SEPARATE_COMPILATION are defined for every user of
// stdb_server), which keeps each Beast-including translation unit cheaper to compile.
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
