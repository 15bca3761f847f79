;; 8 initial pages and a declared maximum of 1000: above a small engine cap.
(module
  (memory (export "memory") 8 1000)
  (func (export "grow") (param i32) (result i32)
    local.get 0
    memory.grow))
