// The compiled part of Boost.Asio's SSL support. stdb_server builds the rest of Asio and Beast once with
// BOOST_ASIO_SEPARATE_COMPILATION, which it passes on to the CLI; the CLI's https/wss client is the only user of
// asio::ssl, so its compiled part lives here.
#include <boost/asio/ssl/impl/src.hpp>
