;; A module whose client_connected can refuse clients, written by hand for the server's tests of refused
;; connections (HTTP calls answered 403, WebSocket clients dropped after the 101).
;;
;; Module definition (V10, 100 bytes at offset 64):
;;   section Reducers: client_connected() Private, set_gate(open: bool) ClientCallable (ok unit, err String)
;;   section LifeCycleReducers: OnConnect -> client_connected
;; Behaviour:
;;   client_connected   fails with "the gate is closed" while the gate is closed, else succeeds
;;   set_gate(open)     opens or closes the gate
;; The gate is a wasm global, not a table: it lives as long as the module instance, which is all a test needs.
(module
  (import "spacetime_10.0" "bytes_source_read" (func $bytes_source_read (param i32 i32 i32) (result i32)))
  (import "spacetime_10.0" "bytes_sink_write" (func $bytes_sink_write (param i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (global $closed (mut i32) (i32.const 0))
  (data (i32.const 64)
    "\02\02\00\00\00"
    "\03\02\00\00\00"
    "\10\00\00\00client_connected\00\00\00\00\00\02\00\00\00\00\04"
    "\08\00\00\00set_gate\01\00\00\00\00\04\00\00\00open\05\01\02\00\00\00\00\04"
    "\07\01\00\00\00\01\10\00\00\00client_connected")
  (data (i32.const 512) "the gate is closed")
  (func (export "__describe_module__") (param $sink i32)
    (i32.store (i32.const 1000) (i32.const 100))
    (drop (call $bytes_sink_write (local.get $sink) (i32.const 64) (i32.const 1000))))
  (func (export "__call_reducer__") (param $id i32) (param i64 i64 i64 i64 i64 i64 i64) (param $args i32) (param $err i32) (result i32)
    ;; reducer 0: client_connected
    (if (i32.eqz (local.get $id)) (then
      (if (global.get $closed) (then
        (i32.store (i32.const 1000) (i32.const 18))
        (drop (call $bytes_sink_write (local.get $err) (i32.const 512) (i32.const 1000)))
        (return (i32.const 1))))
      (return (i32.const 0))))
    ;; reducer 1: set_gate(open: bool), one byte of arguments
    (i32.store (i32.const 1000) (i32.const 16))
    (drop (call $bytes_source_read (local.get $args) (i32.const 1024) (i32.const 1000)))
    (global.set $closed (i32.eqz (i32.load8_u (i32.const 1024))))
    (i32.const 0))
)
