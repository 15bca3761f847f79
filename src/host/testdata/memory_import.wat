;; Imports its memory instead of defining it.
(module
  (import "env" "memory" (memory 1)))
