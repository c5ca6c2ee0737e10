// babel-preset-taro options: https://docs.taro.zone/docs/next/babel-config
// This file is project-wide (babel.config.js, not .babelrc), so it also applies to ../shared,
// which Taro compiles from source through `compile.include` in config/index.ts.
module.exports = {
  presets: [
    ['taro', {
      framework: 'react',
      ts: true,
      compiler: 'webpack5',
    }],
  ],
}
