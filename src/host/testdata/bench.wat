;; Benchmark module of bench/wasm_runtime_bench.cc.
(module
  (import "env" "noop" (func $noop (param i32) (result i32)))
  (memory (export "memory") 1)

  (func (export "empty"))

  ;; Calls the host n times and sums what it returns.
  (func (export "call_host") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $acc (i32.add (local.get $acc) (call $noop (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    local.get $acc)

  ;; The same loop without the host call, to subtract the loop's own cost.
  (func (export "loop_only") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $acc (i32.add (local.get $acc) (local.get $i)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    local.get $acc)

  ;; The signature of __call_reducer__.
  (func (export "reducer7")
        (param i32 i64 i64 i64 i64 i64 i64 i64 i32 i32) (result i32)
    i32.const 0))
