"""Named environments in one home (``roost home ...``, ``roost shell-init SHELL``).

virtualenvwrapper's contracts, kept so existing homes and hooks work unchanged:

* ``WORKON_HOME`` (default ``~/.virtualenvs``) holds one environment per name;
  ``PROJECT_HOME`` holds projects; an environment's ``.project`` file names its project.
* Hooks: global ones in ``VIRTUALENVWRAPPER_HOOK_DIR`` (default ``WORKON_HOME``), local
  ones in the environment's ``bin``.  Hooks that are *run* (programs, given arguments):
  premkvirtualenv, precpvirtualenv, prermvirtualenv, postrmvirtualenv, preactivate,
  premkproject, get_env_details.  Hooks that are *sourced* by the shell: initialize,
  postmkvirtualenv, postcpvirtualenv, postactivate, predeactivate, postdeactivate,
  postmkproject.  roost runs the run-type hooks of the commands that need Python itself
  (:mod:`.hooks`); the shell functions of ``shell-init`` run ``preactivate`` and source
  the rest without starting Python.
* ``_virtualenv_path_extensions.pth`` in site-packages holds ``add2virtualenv``'s folders.

The modules: :mod:`.store` (names to folders, safe removal), :mod:`.hooks`,
:mod:`.verbs` (new, ls, show, rm, run...), :mod:`.edits` (changes inside one environment),
:mod:`.copying` (cp/mv through :func:`roost.relocate.relocate`), :mod:`.subshell`
(``shell``/``tmp``), :mod:`.shellinit` (the per-shell functions, templates in
``templates/``) and :mod:`.cli` (argument parsing).  Reading an environment's facts goes
through :mod:`roost.envreader`, its health through :func:`roost.health.check.diagnose`.
"""
