# Stand-in for dask-gateway-server (NOT the real package): just enough of dask_gateway_server.options
# for the tests to run the configuration mlscale generates and call its options handler.
