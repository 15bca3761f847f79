;; The main test module of wasm_runtime_test: arithmetic, host imports with memory access, i64 and float values,
;; multi-value, every trap kind, runaway loops, memory growth and re-entrant calls.
(module
  ;; Uppercases memory[ptr, ptr + len) and returns the number of bytes it changed.
  (import "env" "upper" (func $upper (param i32 i32) (result i32)))
  ;; Raises a host error carrying its argument.
  (import "env" "fail" (func $fail (param i32)))
  ;; Returns 1*a + 2*b + ... + 7*g (wrapping).
  (import "env" "sum7" (func $sum7 (param i64 i64 i64 i64 i64 i64 i64) (result i64)))
  ;; Calls back into the instance's "add" export with (x, 100).
  (import "env" "reenter" (func $reenter (param i32) (result i32)))

  (memory (export "memory") 1)
  (data (i32.const 16) "hello, world")
  (global $counter (mut i32) (i32.const 0))

  (func (export "add") (param i32 i32) (result i32)
    local.get 0
    local.get 1
    i32.add)

  (func (export "noop"))

  (func (export "shout") (param i32 i32) (result i32)
    local.get 0
    local.get 1
    call $upper)

  (func (export "call_fail") (param i32)
    local.get 0
    call $fail)

  (func (export "mix7") (param i64 i64 i64 i64 i64 i64 i64) (result i64)
    (i64.add
      (i64.add
        (i64.add (local.get 0) (i64.mul (local.get 1) (i64.const 2)))
        (i64.add (i64.mul (local.get 2) (i64.const 3)) (i64.mul (local.get 3) (i64.const 4))))
      (i64.add
        (i64.add (i64.mul (local.get 4) (i64.const 5)) (i64.mul (local.get 5) (i64.const 6)))
        (i64.mul (local.get 6) (i64.const 7)))))

  ;; The shape of __call_reducer__: stores the seven i64 at 256, 264, ..., 304 and returns id + args + err.
  (func (export "reducer_like")
        (param $id i32) (param i64 i64 i64 i64 i64 i64 i64) (param $args i32) (param $err i32) (result i32)
    (i64.store (i32.const 256) (local.get 1))
    (i64.store (i32.const 264) (local.get 2))
    (i64.store (i32.const 272) (local.get 3))
    (i64.store (i32.const 280) (local.get 4))
    (i64.store (i32.const 288) (local.get 5))
    (i64.store (i32.const 296) (local.get 6))
    (i64.store (i32.const 304) (local.get 7))
    (i32.add (local.get $id) (i32.add (local.get $args) (local.get $err))))

  (func (export "host_sum7") (param i64 i64 i64 i64 i64 i64 i64) (result i64)
    (call $sum7 (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4) (local.get 5) (local.get 6)))

  (func (export "echo_i64") (param i64) (result i64) local.get 0)
  (func (export "echo_f32") (param f32) (result f32) local.get 0)
  (func (export "echo_f64") (param f64) (result f64) local.get 0)

  (func (export "pair") (param i32) (result i32 i64)
    (i32.add (local.get 0) (i32.const 1))
    (i64.mul (i64.extend_i32_s (local.get 0)) (i64.const 2)))

  (func (export "trap_unreachable") unreachable)

  (func (export "load") (param i32) (result i32)
    local.get 0
    i32.load)

  (func (export "div") (param i32 i32) (result i32)
    local.get 0
    local.get 1
    i32.div_s)

  (func $recurse (export "recurse") (param i32) (result i32)
    (call $recurse (i32.add (local.get 0) (i32.const 1))))

  (func (export "spin")
    (loop $forever
      br $forever))

  ;; Counts n down to zero and returns n; finite but long for large n.
  (func (export "spin_for") (param $n i64) (result i64)
    (local $i i64)
    (local.set $i (local.get $n))
    (block $done
      (loop $next
        (br_if $done (i64.eqz (local.get $i)))
        (local.set $i (i64.sub (local.get $i) (i64.const 1)))
        (br $next)))
    local.get $n)

  (func (export "grow") (param i32) (result i32)
    local.get 0
    memory.grow)

  (func (export "size") (result i32) memory.size)

  (func (export "bump") (result i32)
    (global.set $counter (i32.add (global.get $counter) (i32.const 1)))
    global.get $counter)

  (func (export "call_reenter") (param i32) (result i32)
    local.get 0
    call $reenter)

  (func (export "takes_v128") (param v128)))
