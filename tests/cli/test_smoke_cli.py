from click.testing import CliRunner

from annotator.cli.main import cli


def test_version_and_help_answer():
    runner = CliRunner()
    assert runner.invoke(cli, ["--version"]).output.startswith("annotator, version")
    for command in (["--help"], ["import", "--help"], ["export", "--help"], ["labels", "--help"]):
        result = runner.invoke(cli, command)
        assert result.exit_code == 0, result.output
        assert "Usage:" in result.output


def test_every_command_is_found_by_its_name_and_help_lists_them_all():
    from annotator.cli.main import COMMANDS

    runner = CliRunner()
    listed = runner.invoke(cli, ["--help"]).output.split("Commands:", 1)[1]
    names = [line.split()[0] for line in listed.splitlines() if line.strip()]
    assert names == sorted(COMMANDS)
    for name in COMMANDS:
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0, (name, result.output)
        assert f"Usage: cli {name} " in result.output
    unknown = runner.invoke(cli, ["nosuch"])
    assert unknown.exit_code == 2 and "No such command 'nosuch'" in unknown.output


def test_the_version_imports_no_command_module():
    """`annotator --version` (and the window, which goes through the same group) costs no
    command's import: each is imported when it runs."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from annotator.cli.main import main\n"
        "sys.argv = ['annotator', '--version']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('annotator.cli.')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.splitlines()[-1] == "['annotator.cli.main']"
