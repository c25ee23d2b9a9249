"""All demo seeding in one place (top of the layering: may import any app, none imports it).

`demo.services.demo_seed()` runs the steps in order (organisation → users → the 2019Q1 quarter →
the published history → member points); `demo_calibration_seed()` is the opt-in calibration step.
Each step is idempotent and lives in its own module; add a step by writing a module and calling it
from `demo_seed()`."""
