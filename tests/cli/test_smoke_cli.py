from click.testing import CliRunner

from annotator.cli.main import cli


def test_version_and_help_answer():
    runner = CliRunner()
    assert runner.invoke(cli, ["--version"]).output.startswith("annotator, version")
    for command in (["--help"], ["import", "--help"], ["export", "--help"], ["labels", "--help"]):
        result = runner.invoke(cli, command)
        assert result.exit_code == 0, result.output
        assert "Usage:" in result.output
