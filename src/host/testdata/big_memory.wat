;; Declares 16385 pages (1 GiB + 64 KiB) of initial memory: above the default cap.
(module
  (memory (export "memory") 16385))
