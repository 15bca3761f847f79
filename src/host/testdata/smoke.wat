;; The V8 smoke test: one host import, one export that calls it.
(module
  (import "env" "add_one" (func $add_one (param i32) (result i32)))
  (func (export "run") (param i32) (result i32)
    local.get 0
    call $add_one))
