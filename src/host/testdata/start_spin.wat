;; Its start function never returns, so only the call budget can end instantiation.
(module
  (func $start
    (loop $forever
      br $forever))
  (start $start))
