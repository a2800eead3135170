from ofsted_atlas.cli import main

main()
