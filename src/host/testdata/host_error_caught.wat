;; A module that catches, with the exception-handling proposal, the exception a failing host import raises.
(module
  (import "env" "fail" (func $fail (param i32)))
  (func (export "swallow") (result i32)
    try (result i32)
      i32.const 7
      call $fail
      i32.const 0
    catch_all
      i32.const 1
    end))
